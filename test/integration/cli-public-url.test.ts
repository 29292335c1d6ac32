// The `gatehouse` command's emails link where the server is, not to http://localhost:3000:
// the server records its PUBLIC_URL at start, and a command run without PUBLIC_URL uses it.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret } from '../../src/auth/methods/totp/index.ts';
import { account, device } from '../../src/db/schema.ts';
import { seal } from '../../src/lib/secret-box.ts';
import { databaseKinds } from '../support/databases.ts';
import { gatehouse } from '../support/gatehouse-cli.ts';
import { SmtpInbox } from '../support/smtp-inbox.ts';
import { seedSchools, startTestGatehouse, TEST_SECRET_KEY, type TestGatehouse } from '../support/test-gatehouse.ts';

const SERVER_URL = 'https://gatehouse.example.org';
const EMAIL = 'lead@trust.example';

describe.each(await databaseKinds())('the public address of the command line (%s database)', (kind) => {
  let g: TestGatehouse;
  let inbox: SmtpInbox;

  async function giveDevice() {
    const [owner] = await g.services.db
      .select({ id: account.id })
      .from(account)
      .where(and(eq(account.email, EMAIL), eq(account.kind, 'sso')));
    await g.services.db
      .insert(device)
      .values({ accountId: owner!.id, kind: 'totp', name: 'Phone', sealedSecret: seal(g.services.keys.encryption, newTotpSecret()) });
  }

  async function removeDevicesBy(env: Record<string, string>) {
    await giveDevice();
    const since = inbox.messages.length;
    const outcome = await gatehouse(['support', 'remove-2fa', EMAIL], { database: g.database, env: { SECRET_KEY: TEST_SECRET_KEY, ...env } });
    expect(outcome, outcome.stderr).toMatchObject({ exitCode: 0 });
    const mail = await inbox.waitFor((m) => m.to.includes(EMAIL) && inbox.messages.indexOf(m) >= since);
    return { outcome, links: mail.text.match(/https?:\/\/[^\s/]+/g) ?? [] };
  }

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_POLL_MS: '100', PUBLIC_URL: SERVER_URL } });
    await seedSchools(g);
  });
  afterAll(async () => {
    await g.close();
    await inbox.close();
  });

  it("links the command's emails to the address the server started with when PUBLIC_URL is not set, quietly", async () => {
    const { outcome, links } = await removeDevicesBy({ NODE_ENV: 'test' });
    expect(outcome.stderr).toBe('');
    expect(links.length).toBeGreaterThan(0);
    expect(new Set(links)).toEqual(new Set([SERVER_URL]));
  });

  it("warns when the command's PUBLIC_URL is not the server's, and links where it was told", async () => {
    const { outcome, links } = await removeDevicesBy({ PUBLIC_URL: 'https://old-name.example.org' });
    expect(outcome.stderr).toBe(
      `gatehouse: warning: PUBLIC_URL is https://old-name.example.org but the server last started at ${SERVER_URL}: emails link to https://old-name.example.org\n`,
    );
    expect(new Set(links)).toEqual(new Set(['https://old-name.example.org']));
  });
});
