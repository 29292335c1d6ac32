// What was half-way through proving a second factor or changing devices (a sign-in waiting at
// its second step, a WebAuthn challenge, an authenticator app's secret waiting for its code, a
// half-done "Confirm it's you") ends with a password reset, a disabled user and removed devices:
// none of it can be finished afterwards.
import { and, count, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionToken } from '../../src/auth/session-token.ts';
import { ceremony, device, pendingSignIn, session } from '../../src/db/schema.ts';
import { enrolAuthenticatorApp, fullAccessSession, personWithPassword } from '../support/admin-session.ts';
import { Client } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { resetPasswordByEmail } from '../support/reset-by-email.ts';
import { totp } from '../support/rfc6238.ts';
import { PASSWORD, startSeededWithInbox } from '../support/test-gatehouse.ts';

const NEW_PASSWORD = 'quarry lantern thistle 58';

describe.each(await databaseKinds())('unfinished second steps end with a reset, a disabled user or removed devices (%s database)', (kind) => {
  let g: Awaited<ReturnType<typeof startSeededWithInbox>>;

  beforeAll(async () => {
    g = await startSeededWithInbox(kind);
  });
  afterAll(() => g.close());

  const db = () => g.services.db;

  /** A teacher at North with an authenticator app (enrolled in a basic session, `owner`), and their recovery codes. */
  async function teacherWithApp() {
    const person = await personWithPassword(g, { group: 'Teachers' });
    const owner = new Client(g.url);
    await owner.signIn('north', person.email, PASSWORD);
    const { secret, codes } = await enrolAuthenticatorApp(owner, 'north');
    return { ...person, owner, secret, codes };
  }

  /** Signed in with the password, the second-step page open: a pending sign-in (its cookie in the client). */
  async function atSecondStep(email: string) {
    const client = new Client(g.url);
    expect((await client.signIn('north', email, PASSWORD)).location).toBe('/north/login/second-step');
    expect((await client.get('/north/login/second-step')).status).toBe(200);
    return client;
  }

  async function secondStep(client: Client, fields: Record<string, string>) {
    return client.post('/north/login/second-step', fields);
  }

  /** A password reset through the emailed link, in a browser of its own. */
  async function resetPassword(email: string) {
    const done = await resetPasswordByEmail(new Client(g.url), g.inbox, 'north', email, NEW_PASSWORD);
    expect(done.location).toBe('/north/login?password=changed');
  }

  /** What is unfinished on the account: ceremonies of its sessions and pending sign-ins, those pending sign-ins, half-done confirmations. */
  async function unfinished(accountId: string) {
    const sessions = db().select({ id: session.id }).from(session).where(eq(session.accountId, accountId));
    const pendings = db().select({ id: pendingSignIn.id }).from(pendingSignIn).where(eq(pendingSignIn.accountId, accountId));
    const [ceremonies] = await db()
      .select({ n: count() })
      .from(ceremony)
      .where(or(inArray(ceremony.ownerId, sessions), inArray(ceremony.ownerId, pendings)));
    const [waiting] = await db().select({ n: count() }).from(pendingSignIn).where(eq(pendingSignIn.accountId, accountId));
    const [confirming] = await db()
      .select({ n: count() })
      .from(session)
      .where(and(eq(session.accountId, accountId), isNotNull(session.passwordConfirmedAt)));
    return { ceremonies: ceremonies!.n, pendingSignIns: waiting!.n, halfConfirmed: confirming!.n };
  }

  it('a second step waiting when the password is reset cannot complete afterwards: it is sent back to the sign-in page', async () => {
    const teacher = await teacherWithApp();
    const waiting = await atSecondStep(teacher.email);
    await resetPassword(teacher.email);
    const completed = await secondStep(waiting, { method: 'totp', code: totp(teacher.secret, Date.now() + 30_000) });
    expect(completed.location).toBe('/north/login');
    expect(waiting.sessionCookie()).toBeUndefined();
    const [live] = await db()
      .select({ n: count() })
      .from(session)
      .where(and(eq(session.accountId, teacher.accountId), isNull(session.endedAt)));
    expect(live!.n).toBe(0);
  });

  /**
   * A teacher with an app and a security key, and every kind of unfinished step: the owner's
   * basic session elevating (a key's challenge), a sign-in at its second step (a key's
   * challenge), and a full session adding an app (its secret) that is half-way through
   * confirming it's them (the password typed, the second factor not yet).
   */
  async function teacherHalfWay() {
    const teacher = await teacherWithApp();
    await db()
      .insert(device)
      .values({
        accountId: teacher.accountId,
        kind: 'webauthn',
        name: 'Desk key',
        credentialId: `desk-key-${teacher.accountId}`,
        publicKey: 'pQECAyYgASFYIA',
        signCount: 0,
        transports: ['usb'],
      });
    expect((await teacher.owner.get('/north/elevate')).status).toBe(200);
    const waiting = await atSecondStep(teacher.email);
    const adding = new Client(g.url);
    await adding.signIn('north', teacher.email, PASSWORD);
    expect((await secondStep(adding, { method: 'totp', code: totp(teacher.secret, Date.now() + 30_000) })).location).toBe('/north/');
    expect((await adding.get('/north/account/security-keys/authenticator/new')).status).toBe(200);
    await db()
      .update(session)
      .set({ authenticatedAt: new Date(Date.now() - 16 * 60_000) })
      .where(eq(session.tokenHash, hashSessionToken(adding.sessionCookie()!)));
    await adding.get('/north/account/confirm');
    expect((await adding.post('/north/account/confirm', { password: PASSWORD, next: '/north/account/security-keys' })).location).toBe(
      '/north/elevate?next=%2Fnorth%2Faccount%2Fsecurity-keys',
    );
    expect(await unfinished(teacher.accountId)).toEqual({ ceremonies: 3, pendingSignIns: 1, halfConfirmed: 1 });
    return { ...teacher, waiting };
  }

  const ends: Array<[string, (teacher: Awaited<ReturnType<typeof teacherHalfWay>>) => Promise<void>]> = [
    ['a password reset', (teacher) => resetPassword(teacher.email)],
    [
      'an admin disabling the user',
      async (teacher) => {
        const admin = await fullAccessSession(g);
        await admin.client.get(`/north/admin/users/${teacher.siteUserId}`);
        expect((await admin.client.post(`/north/admin/users/${teacher.siteUserId}/disable`, { confirm: 'yes' })).status).toBe(303);
      },
    ],
    [
      "an admin key holder removing the user's devices",
      async (teacher) => {
        const admin = await fullAccessSession(g);
        await admin.client.get(`/north/admin/users/${teacher.siteUserId}/security-keys`);
        expect((await admin.client.post(`/north/admin/users/${teacher.siteUserId}/security-keys`, { confirm: 'yes' })).status).toBe(303);
      },
    ],
    [
      'the person removing one of their devices',
      async (teacher) => {
        const remover = new Client(g.url);
        await remover.signIn('north', teacher.email, PASSWORD);
        expect((await secondStep(remover, { method: 'recovery_code', code: teacher.codes[0]! })).location).toBe('/north/');
        const [key] = await db()
          .select({ id: device.id })
          .from(device)
          .where(and(eq(device.accountId, teacher.accountId), eq(device.kind, 'webauthn')));
        await remover.get('/north/account/security-keys');
        expect((await remover.post(`/north/account/security-keys/${key!.id}/remove`, {})).location).toBe('/north/account/security-keys?done=removed');
      },
    ],
  ];

  it.each(ends)('%s ends the pending sign-ins, the challenges and secrets waiting, and any half-done "Confirm it\'s you"', async (_, end) => {
    const teacher = await teacherHalfWay();
    await end(teacher);
    expect(await unfinished(teacher.accountId)).toEqual({ ceremonies: 0, pendingSignIns: 0, halfConfirmed: 0 });
    const completed = await secondStep(teacher.waiting, { method: 'recovery_code', code: teacher.codes[1]! });
    expect(completed.location).toBe('/north/login');
    expect(teacher.waiting.sessionCookie()).toBeUndefined();
  });
});
