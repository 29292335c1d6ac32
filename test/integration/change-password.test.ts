// Account Settings > Change password, through HTTP on both databases: the current password
// (throttled and recorded like a sign-in, one message when wrong), the reset page's own rules,
// then every other session ended, this one kept with a new token, the email and the log.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/auth/methods/password/argon2.ts';
import { SIGN_IN_RULES } from '../../src/auth/throttle/index.ts';
import { account, securityEvent, session } from '../../src/db/schema.ts';
import { WRONG_CURRENT_PASSWORD } from '../../src/web/routes/account-settings.tsx';
import { Client, text } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { addNorthTeacher, PASSWORD, startSeededWithInbox } from '../support/test-gatehouse.ts';

const NEW_PASSWORD = 'harbour lantern quietly 7';

describe.each(await databaseKinds())('changing the password in Account Settings (%s database)', (kind) => {
  let g: Awaited<ReturnType<typeof startSeededWithInbox>>;
  let ip = 0;
  let people = 0;
  const client = () => new Client(g.url, { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0', 'x-forwarded-for': `198.51.100.${++ip}` });

  beforeAll(async () => {
    g = await startSeededWithInbox(kind, { TRUST_PROXY: '1' });
  });
  afterAll(() => g.close());

  /** A teacher of their own at North, so that each test changes its own account's password. */
  async function newTeacher(): Promise<{ email: string; accountId: string }> {
    const email = `changer${++people}@north.example`;
    const user = await addNorthTeacher(g, email, `Chris Changer${people}`);
    return { email, accountId: user.accountId };
  }

  async function signedIn(email: string): Promise<Client> {
    const c = client();
    expect((await c.signIn('north', email, PASSWORD)).status).toBe(303);
    return c;
  }

  async function change(c: Client, fields: { current: string; password: string; confirmation?: string }) {
    const page = await c.get('/north/account/password');
    expect(page.status).toBe(200);
    return c.post('/north/account/password', { confirmation: fields.password, ...fields });
  }

  const storedHash = async (accountId: string) =>
    (await g.services.db.select({ h: account.passwordHash }).from(account).where(eq(account.id, accountId)))[0]!.h!;

  it('is offered in Account Settings, with the reset page’s rules and strength meter', async () => {
    const { email } = await newTeacher();
    const c = await signedIn(email);
    const settings = await c.get('/north/account');
    expect(settings.html).toMatch(/<a href="\/north\/account\/password"[^>]*>Change password<\/a>/);
    const page = await c.get('/north/account/password');
    expect(page.html).toContain('<label for="current-password">Current password</label>');
    expect(page.html).toMatch(/<label for="[^"]+">New password<\/label>/);
    expect(page.html).toMatch(/<label for="[^"]+">Confirm new password<\/label>/);
    expect(page.html).toContain('aria-label="Password strength"');
    expect(text(page.html)).toContain('Rules for your new password');
    expect(text(page.html)).toContain('Not one of your last 5 passwords');
  });

  it('changes it: other sessions end, this one stays with a new token, the email is sent and the log says so', async () => {
    const { email, accountId } = await newTeacher();
    const other = await signedIn(email);
    const c = await signedIn(email);
    const before = c.sessionCookie()!;
    const [thisSession] = await g.services.db
      .select({ id: session.id })
      .from(session)
      .where(eq(session.accountId, accountId))
      .orderBy(desc(session.createdAt))
      .limit(1);

    const done = await change(c, { current: PASSWORD, password: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/north/account?done=password-changed');
    expect(c.sessionCookie()).not.toBe(before);
    expect(await verifyPassword(await storedHash(accountId), NEW_PASSWORD)).toBe(true);

    const after = await c.get(done.location!);
    expect(after.status).toBe(200);
    expect(text(after.html)).toContain('Your password has been changed.');
    // The old token no longer opens anything; the other browser is signed out.
    const stale = new Client(g.url);
    stale.cookies.set('gatehouse_session', before);
    expect((await stale.get('/north/account')).status).toBe(303);
    expect((await other.get('/north/account')).status).toBe(303);
    const open = await g.services.db
      .select({ id: session.id })
      .from(session)
      .where(and(eq(session.accountId, accountId), isNull(session.endedAt)));
    expect(open).toEqual([{ id: thisSession!.id }]);

    const mail = await g.inbox.waitFor((m) => m.to.includes(email) && m.subject === 'Your Gatehouse password was changed');
    expect(mail.text).toContain('in Account Settings, signed in at North School');
    const events = await g.services.db
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, 'password_changed')));
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toEqual({ how: 'account_settings' });
    expect(text((await c.get('/north/account/security-log')).html)).toContain('Password changed');
    // And the new password signs in.
    expect((await client().signIn('north', email, NEW_PASSWORD)).status).toBe(303);
  });

  it('refuses a wrong current password with one message, changing nothing, and records a failed sign-in', async () => {
    const { email, accountId } = await newTeacher();
    const c = await signedIn(email);
    const hash = await storedHash(accountId);
    const refused = await change(c, { current: 'not my password at all', password: NEW_PASSWORD });
    expect(refused.status).toBe(401);
    expect(text(refused.html)).toContain(WRONG_CURRENT_PASSWORD);
    expect(refused.html).toContain('aria-invalid="true"');
    expect(await storedHash(accountId)).toBe(hash);
    const failed = await g.services.db
      .select()
      .from(securityEvent)
      .where(and(eq(securityEvent.accountId, accountId), eq(securityEvent.event, 'sign_in_failed')));
    expect(failed.map((f) => f.detail)).toEqual([{ reason: 'wrong_password', during: 'change_password' }]);
    expect((await c.get('/north/account')).status).toBe(200); // still signed in
  });

  it('applies every rule of the reset page: the two boxes must match, the policy, and not a recent password', async () => {
    const { email, accountId } = await newTeacher();
    const c = await signedIn(email);
    const hash = await storedHash(accountId);
    const mismatch = await change(c, { current: PASSWORD, password: NEW_PASSWORD, confirmation: `${NEW_PASSWORD}!` });
    expect(mismatch.status).toBe(400);
    expect(text(mismatch.html)).toContain('The two passwords do not match');
    const short = await change(c, { current: PASSWORD, password: 'short' });
    expect(short.status).toBe(400);
    expect(text(short.html)).toMatch(/at least 12 characters/);
    const named = await change(c, { current: PASSWORD, password: `chris changer north ${email}` });
    expect(named.status).toBe(400);
    const same = await change(c, { current: PASSWORD, password: PASSWORD });
    expect(same.status).toBe(400);
    expect(text(same.html)).toContain('it cannot be one of your last 5 passwords');
    expect(await storedHash(accountId)).toBe(hash);
  });

  it('is throttled like a sign-in: after 10 wrong current passwords from one address, even the right one waits', async () => {
    const { email, accountId } = await newTeacher();
    const c = await signedIn(email);
    for (let i = 0; i < SIGN_IN_RULES.accountFromAddress.points; i++) {
      expect((await change(c, { current: `wrong guess ${i}`, password: NEW_PASSWORD })).status).toBe(401);
    }
    const waiting = await change(c, { current: PASSWORD, password: NEW_PASSWORD });
    expect(waiting.status).toBe(429);
    expect(waiting.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(text(waiting.html)).toMatch(/Too many wrong passwords\. Please wait \d+ minutes? and try again\./);
    expect(await verifyPassword(await storedHash(accountId), PASSWORD)).toBe(true);
  });

  it('needs a session: signed out, the page is the sign-in page', async () => {
    const c = client();
    const page = await c.get('/north/account/password');
    expect(page.status).toBe(303);
    expect(page.location).toMatch(/^\/north\/login/);
  });
});
