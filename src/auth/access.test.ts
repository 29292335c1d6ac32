import { describe, expect, it } from 'vitest';
import { DEFAULT_GROUPS } from '../directory/permissions.ts';
import { effectivePermissions } from './access.ts';

const admin = DEFAULT_GROUPS.find((g) => g.name === 'Admin')!.permissions;

describe('access: group permissions x session level', () => {
  it('gives a password-only (basic) session only recording a concern and own account settings', () => {
    expect([...effectivePermissions(admin, 'basic')].sort()).toEqual(['own_account', 'record_concern']);
  });

  it("gives a full-access session all of the group's permissions", () => {
    expect(effectivePermissions(admin, 'full')).toEqual(new Set(admin));
  });

  it('ignores permission names it does not know', () => {
    expect(effectivePermissions(['record_concern', 'launch_missiles'], 'full')).toEqual(new Set(['record_concern']));
  });

  it('never grants what the group lacks, at any level', () => {
    const teachers = DEFAULT_GROUPS.find((g) => g.name === 'Teachers')!.permissions;
    expect(effectivePermissions(teachers, 'full').has('admin')).toBe(false);
  });
});
