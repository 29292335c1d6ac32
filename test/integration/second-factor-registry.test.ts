// "A second-factor method is one folder and one line": a method Gatehouse has never had
// (test/support/passphrase-method.ts), added to the registry and nowhere else, is offered at the
// second step, on Elevate Your Access and in Account Settings, and verifies through the shared
// flow (counted, logged, recorded in the session), with no other file knowing of it.
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashSessionToken } from '../../src/auth/session-token.ts';
import { securityEvent, session } from '../../src/db/schema.ts';
import { enrolAuthenticatorApp, personWithPassword } from '../support/admin-session.ts';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { PASSPHRASE, PASSPHRASE_REFUSED } from '../support/passphrase-method.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

// The one line: the registry as shipped, and the new method after it.
vi.mock('../../src/auth/second-factors/registry.ts', async (importOriginal) => {
  const shipped = await importOriginal<typeof import('../../src/auth/second-factors/registry.ts')>();
  const { passphrase } = await import('../support/passphrase-method.ts');
  return { SECOND_FACTORS: [...shipped.SECOND_FACTORS, passphrase] };
});

describe.each(await databaseKinds())('a second-factor method added to the registry alone (%s database)', (kind) => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse(kind);
    await seedSchools(g);
  });
  afterAll(() => g.close());

  /** A person at North with an authenticator app, signed in with the password only (basic access). */
  async function personWithApp() {
    const { email, accountId } = await personWithPassword(g);
    const client = new Client(g.url);
    await client.signIn('north', email, PASSWORD);
    await enrolAuthenticatorApp(client, 'north');
    return { email, accountId, client };
  }

  const methodsOf = async (client: Client) => {
    const [row] = await g.services.db
      .select({ methods: session.methods })
      .from(session)
      .where(eq(session.tokenHash, hashSessionToken(client.sessionCookie()!)));
    return row?.methods;
  };
  const lastEvent = async (accountId: string, event: 'second_factor_passed' | 'second_factor_failed') => {
    const [row] = await g.services.db
      .select({ detail: securityEvent.detail })
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, event)))
      .orderBy(desc(securityEvent.id))
      .limit(1);
    return row?.detail;
  };

  it('is offered at the second step after the methods before it, and signs in with a full-access session', async () => {
    const { email, accountId } = await personWithApp();
    const client = new Client(g.url);
    expect((await client.signIn('north', email, PASSWORD)).location).toBe('/north/login/second-step');
    const step = (await client.get('/north/login/second-step')).html;
    expect(step).toContain('<label for="phrase">Passphrase</label>');
    expect(step.indexOf('name="method" value="passphrase"')).toBeGreaterThan(step.indexOf('name="method" value="totp"'));
    expect(text(step)).toContain('Or type the passphrase you were given.');

    const wrong = await client.post('/north/login/second-step', { method: 'passphrase', phrase: 'open sesame' });
    expect(wrong.status).toBe(401);
    expect(text(wrong.html)).toContain(PASSPHRASE_REFUSED);
    expect(await lastEvent(accountId, 'second_factor_failed')).toEqual({ method: 'passphrase', reason: 'wrong' });

    const right = await client.post('/north/login/second-step', { method: 'passphrase', phrase: PASSPHRASE });
    expect(right.location).toBe('/north/');
    expect(text((await client.get('/north/')).html)).toContain('Full access');
    expect(await methodsOf(client)).toEqual(['password', 'passphrase']);
    expect(await lastEvent(accountId, 'second_factor_passed')).toEqual({ method: 'passphrase', device: 'the passphrase' });
  });

  it('elevates a basic session from Elevate Your Access', async () => {
    const { client } = await personWithApp();
    const page = (await client.get('/north/elevate')).html;
    expect(page).toContain('<label for="phrase">Passphrase</label>');
    const elevated = await client.post('/north/elevate', { method: 'passphrase', phrase: PASSPHRASE, next: '/north/' });
    expect(elevated.location).toBe('/north/');
    expect(await methodsOf(client)).toEqual(['password', 'passphrase']);
    expect(text((await client.get('/north/')).html)).toContain('Full access');
  });

  it("is asked for when confirming it's you, after the password", async () => {
    const { client } = await personWithApp();
    await client.get('/north/elevate');
    await client.post('/north/elevate', { method: 'passphrase', phrase: PASSPHRASE, next: '/north/' });
    await g.services.db
      .update(session)
      .set({ authenticatedAt: new Date(Date.now() - 16 * 60_000) })
      .where(eq(session.tokenHash, hashSessionToken(client.sessionCookie()!)));
    const next = '/north/account/security-keys/authenticator/new';
    await client.get(`/north/account/confirm?next=${encodeURIComponent(next)}`);
    const confirmed = await client.post('/north/account/confirm', { password: PASSWORD, next });
    expect(confirmed.location).toBe(`/north/elevate?next=${encodeURIComponent(next)}`);
    const page = await client.get(confirmed.location!);
    expect(text(page.html)).toContain("To change your two-factor devices, confirm it's you with your second factor.");
    expect(page.html).toContain('<label for="phrase">Passphrase</label>');
    expect((await client.post('/north/elevate', { method: 'passphrase', phrase: PASSPHRASE, next })).location).toBe(next);
    expect((await client.get(next)).status).toBe(200);
  });

  it('has its section in Account Settings after the sections before it', async () => {
    const { client } = await personWithApp();
    const settings = text((await client.get('/north/account/security-keys')).html);
    expect(settings).toMatch(/Authenticator app.*Security keys.*Recovery codes.*Passphrase A passphrase you were given/s);
  });
});
