import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { deriveKeys } from '../lib/keys.ts';
import { type AuditCheckpoint, newestCheckpoint, readCheckpoint, signCheckpoint } from './audit-checkpoint.ts';

describe('audit checkpoints', () => {
  const key = deriveKeys(Buffer.alloc(32, 9).toString('base64')).auditCheckpoint;
  const otherKey = deriveKeys(Buffer.alloc(32, 8).toString('base64')).auditCheckpoint;
  const north = randomUUID();
  const checkpoint = (entries: number, at: string, siteId = north): AuditCheckpoint => ({
    siteId,
    slug: 'north',
    entries,
    head: String(entries % 10).repeat(64),
    at: new Date(at),
  });

  it('reads back what was signed, as one compact JWS (HS256)', async () => {
    const signed = await signCheckpoint(key, checkpoint(12, '2026-12-01T09:00:00Z'));
    expect(signed).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.parse(Buffer.from(signed.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'gatehouse-audit-checkpoint' });
    expect(await readCheckpoint(key, `${signed}\r`)).toEqual(checkpoint(12, '2026-12-01T09:00:00Z'));
  });

  it('refuses a checkpoint whose payload was changed, one signed with another key, and anything else', async () => {
    const signed = await signCheckpoint(key, checkpoint(12, '2026-12-01T09:00:00Z'));
    const [header, , signature] = signed.split('.');
    const payload = JSON.parse(Buffer.from(signed.split('.')[1]!, 'base64url').toString());
    const fewer = Buffer.from(JSON.stringify({ ...payload, entries: 9 })).toString('base64url');
    expect(await readCheckpoint(key, `${header}.${fewer}.${signature}`)).toBeUndefined();
    expect(await readCheckpoint(otherKey, signed)).toBeUndefined();
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'gatehouse-audit-checkpoint' })).toString('base64url')}.${signed.split('.')[1]}.`;
    expect(await readCheckpoint(key, unsigned)).toBeUndefined();
    // Signed with the key but not a checkpoint: another type, or claims missing.
    const otherType = await new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(key);
    expect(await readCheckpoint(key, otherType)).toBeUndefined();
    const noHead = await new SignJWT({ ...payload, head: undefined }).setProtectedHeader({ alg: 'HS256', typ: 'gatehouse-audit-checkpoint' }).sign(key);
    expect(await readCheckpoint(key, noHead)).toBeUndefined();
    expect(await readCheckpoint(key, 'The audit of north holds: 12 entries.')).toBeUndefined();
  });

  it("finds a site's newest checkpoint among many sites' lines, a later line winning a tie", async () => {
    const lines = [
      await signCheckpoint(key, checkpoint(5, '2026-12-01T09:00:00Z')),
      await signCheckpoint(key, checkpoint(40, '2026-12-03T09:00:00Z', randomUUID())),
      '',
      await signCheckpoint(key, checkpoint(8, '2026-12-02T09:00:00Z')),
      await signCheckpoint(key, checkpoint(7, '2026-12-01T10:00:00Z')),
      await signCheckpoint(key, checkpoint(9, '2026-12-02T09:00:00Z')),
    ];
    expect(await newestCheckpoint(key, lines, north)).toEqual({ checkpoint: checkpoint(9, '2026-12-02T09:00:00Z') });
    expect(await newestCheckpoint(key, lines, randomUUID())).toEqual({ checkpoint: undefined });
  });

  it('names the first line that is not a checkpoint signed with the key', async () => {
    const good = await signCheckpoint(key, checkpoint(5, '2026-12-01T09:00:00Z'));
    const foreign = await signCheckpoint(otherKey, checkpoint(5, '2026-12-01T09:00:00Z', randomUUID()));
    expect(await newestCheckpoint(key, [good, '', foreign, 'junk'], north)).toEqual({ badLine: 3 });
  });
});
