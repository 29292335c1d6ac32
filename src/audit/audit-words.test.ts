import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction } from './audit-log.ts';
import { describeAuditEntry } from './audit-words.ts';

describe('audit entries in plain words', () => {
  it('says what a settings change did, a sentence a setting', () => {
    expect(describeAuditEntry('settings_changed', { showSsoSwitch: 'false -> true' })).toBe('Turned the SSO switch on');
    expect(describeAuditEntry('settings_changed', { requireTwoFactor: 'true -> false' })).toBe('Stopped requiring two-factor');
    expect(describeAuditEntry('settings_changed', { requireTwoFactor: 'false -> true', sessionIdleMinutes: '30 -> 45' })).toBe(
      'Started requiring two-factor for all staff. Changed the idle timeout from 30 to 45 minutes',
    );
  });

  it('says what a change to dormant accounts did, never the setting names', () => {
    expect(describeAuditEntry('settings_changed', { dormantAfterDays: '90 -> 120' })).toBe(
      'Changed when an unused account is flagged as dormant from 90 to 120 days',
    );
    expect(describeAuditEntry('settings_changed', { disableDormant: 'false -> true' })).toBe('Started disabling dormant accounts automatically');
    expect(describeAuditEntry('settings_changed', { disableDormant: 'true -> false' })).toBe('Stopped disabling dormant accounts automatically');
    expect(describeAuditEntry('settings_changed', { dormantAfterDays: '90 -> 30', disableDormant: 'false -> true' })).not.toMatch(
      /dormantAfterDays|disableDormant|Changed a setting/,
    );
  });

  it('names what changed about a user, never a field name', () => {
    expect(describeAuditEntry('user_details_changed', { job_title_from: 'Teacher', job_title_to: 'Head of Year' })).toBe(
      'Changed the job title from Teacher to Head of Year',
    );
    expect(describeAuditEntry('user_group_changed', { group_from: 'Teachers', group_to: 'DSL' })).toBe('Moved the user from Teachers to DSL');
    expect(describeAuditEntry('devices_removed', { count: 2, managed_tokens_kept: 1 })).toBe(
      "Removed 2 two-factor devices of the user's, keeping 1 managed token",
    );
  });

  it('has a sentence for every kind of entry, with no underscore in it', () => {
    const examples: Record<AuditAction, Record<string, string | number | boolean | null>> = {
      site_added: { address: 'north', name: 'North School', trust: null, kind: 'safeguarding' },
      support_contact_changed: { email: 'office@north.example', phone: null, url: null },
      user_added: { email: 'a@b.example', group: 'Teachers', job_title: null, password_set: false },
      sso_linked: { email: 'a@b.example', new_account: true, password_set: false },
      user_details_changed: { name_from: 'A', name_to: 'B' },
      user_group_changed: { group_from: 'Teachers', group_to: 'SLT' },
      user_disabled: { sessions_ended: 1 },
      user_enabled: {},
      password_link_sent: { email: 'a@b.example' },
      devices_removed: { count: 1, managed_tokens_kept: 0 },
      devices_removed_by_support: { count: 1, managed_tokens_kept: 0 },
      second_factors_unlocked: { by: 'Ann' },
      second_factors_unlocked_by_support: {},
      managed_token_assigned: { serial: 'HW-1' },
      group_created: { group: 'Office', permissions: 'admin' },
      group_renamed: { from: 'Office', to: 'Front office' },
      group_permissions_changed: { group: 'Office', from: 'admin', to: '' },
      settings_changed: { minPasswordLength: '12 -> 14' },
      security_log_exported: { event: 'all', entries: 3 },
      audit_exported: { entries: 1 },
      staff_imported: {
        file: 'staff.csv',
        added: 3,
        updated: 1,
        unchanged: 0,
        rows_with_errors_left_out: 1,
        disabled_not_in_file: 1,
        disabled_people: 'Pat',
        first_time_emails: 3,
      },
      access_dates_changed: { starts_from: null, starts_to: null, ends_from: null, ends_to: '2027-08-31' },
      access_ended: {},
      user_marked_leaver: { sessions_ended: 1, password_links_revoked: 0, refresh_tokens_revoked: 0 },
      leaver_brought_back: {},
      dormant_disabled: {},
      integration_registered: { system: 'Records', client_id: 'abc', redirect_uris: 'https://records.example/callback' },
      integration_secret_rotated: { system: 'Records', client_id: 'abc' },
      integration_disabled: { system: 'Records', client_id: 'abc' },
      integration_enabled: { system: 'Records', client_id: 'abc' },
      integration_deleted: { system: 'Records', client_id: 'abc' },
      change_refused: { refused: 'Moving Pat from Teachers to Admin', why: 'Only an admin key holder can do that.' },
      audit_pruned: { removed: 5, older_than: '2025-01-01', removed_in_all: 5, last_removed_hash: 'x' },
    };
    for (const action of Object.keys(AUDIT_ACTIONS) as AuditAction[]) {
      const words = describeAuditEntry(action, examples[action]);
      expect(words, action).not.toMatch(/_|->/);
      expect(words.length, action).toBeGreaterThan(5);
    }
  });

  it('keeps an unknown kind of entry readable as it was written', () => {
    expect(describeAuditEntry('something_new', { some_field: 1 })).toBe('something_new (some field: 1)');
  });
});
