import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MethodServices } from '../second-factor.ts';
import { push } from './index.ts';

const offline = {} as MethodServices;
const asking = {
  accountId: randomUUID(),
  site: { id: randomUUID(), slug: 'north', name: 'North School' },
  ceremonyOwnerId: randomUUID(),
  ip: '192.0.2.1',
  userAgent: 'test',
};

describe('the Gatehouse Authenticator method', () => {
  it('offers nothing (and asks nothing of the database) to an account without a Gatehouse Authenticator', async () => {
    expect(await push.offer(offline, { ...asking, has: new Set(['totp', 'webauthn']) })).toBeUndefined();
  });

  it('owns the Gatehouse Authenticator, removable, as its own type; claims amr swk; reads one field, the request id', () => {
    expect(push.devices.map((d) => [d.kind, d.names.adminType, d.removable])).toEqual([['gatehouse_authenticator', 'Gatehouse Authenticator', true]]);
    expect(push.amr).toEqual(['swk']);
    expect(push.answer).toEqual([{ name: 'request', maxLength: 36 }]);
  });

  it('refuses, without asking the database, an answer that is not a request id', async () => {
    expect(await push.verify(offline, { ...asking, email: 'a@north.example' }, { request: 'nope' })).toEqual({ ok: false, detail: 'malformed' });
  });
});
