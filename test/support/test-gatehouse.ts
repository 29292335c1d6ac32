// A real Gatehouse for a test: real HTTP server on a loopback port, a fresh database of the
// chosen kind, the lowest hashing cost the settings allow, and no demo data unless asked.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import { loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/connect.ts';
import { recordPublicUrl } from '../../src/directory/public-url.ts';
import { addSiteUser } from '../../src/directory/site-users.ts';
import { addSite } from '../../src/directory/sites.ts';
import { linkSso } from '../../src/directory/sso.ts';
import { type Running, startGatehouse } from '../../src/gatehouse.ts';
import { type DatabaseKind, freshDatabase } from './databases.ts';
import { SmtpInbox } from './smtp-inbox.ts';

export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
export const PASSWORD = 'a long enough test password';

export interface TestGatehouse extends Running {
  kind: DatabaseKind;
}

export async function startTestGatehouse(
  kind: DatabaseKind,
  options: {
    env?: Record<string, string>;
    database?: Database;
    demo?: boolean;
    /**
     * The public address's host instead of the loopback IP the server listens on: 'localhost'
     * makes PUBLIC_URL http://localhost:<port>, as WebAuthn needs (a relying party's ID is a
     * domain, never an IP address). The server still listens on 127.0.0.1; `url` stays that.
     */
    publicHost?: 'localhost';
    /** The maintenance loop runs (off by default: a round would land in tests that count statements). */
    housekeeping?: boolean;
    /** The server's logger (tests that read the log: test/support/captured-log.ts). */
    log?: Logger;
  } = {},
): Promise<TestGatehouse> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'gatehouse-test-')),
    SECRET_KEY: TEST_SECRET_KEY,
    DEMO: options.demo ? '1' : '0',
    LOG_LEVEL: 'silent',
    // Tests that are about timing set their own; the rest need not wait.
    RESET_RESPONSE_MS: '0',
    ...options.env,
  });
  const database = options.database ?? (await freshDatabase(kind));
  const log = options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const running = await startGatehouse(config, log, { database, housekeeping: options.housekeeping ?? false });
  // Unless a test sets PUBLIC_URL, the public address is the one the server actually got.
  if (!options.env?.PUBLIC_URL) running.services.config.publicUrl = new URL(running.url);
  if (options.publicHost) {
    const publicUrl = new URL(running.url);
    publicUrl.hostname = options.publicHost;
    running.services.config.publicUrl = publicUrl;
  }
  // The server recorded the address it had at start (port 0): record the one it has now, as the
  // `gatehouse` command run in the test reads it (directory/public-url.ts).
  await recordPublicUrl(running.services.db, running.services.config.publicUrl);
  return { ...running, kind };
}

/** Two schools of one trust, an Identity teacher and admin, and an SSO user at both. */
export async function seedSchools(g: Running) {
  const { db } = g.services;
  const hash = await g.services.passwords.hash(PASSWORD);
  await addSite(db, { slug: 'north', name: 'North School', trustName: 'Test Trust' });
  await addSite(db, { slug: 'south', name: 'South School', trustName: 'Test Trust' });
  await addSite(db, { slug: 'vetting', name: 'Trust StaffSafe', trustName: 'Test Trust', kind: 'staffsafe' });
  await addSiteUser(db, { site: 'north', email: 'teacher@north.example', fullName: 'Tess Teacher', groupName: 'Teachers', passwordHash: hash });
  await addSiteUser(db, { site: 'north', email: 'admin@north.example', fullName: 'Ada Admin', groupName: 'Admin', passwordHash: hash });
  await addSiteUser(db, { site: 'south', email: 'teacher@south.example', fullName: 'Sol Teacher', groupName: 'Teachers', passwordHash: hash });
  for (const [site, group] of [
    ['north', 'DSL'],
    ['south', 'SLT'],
    ['vetting', 'Admin'],
  ] as const) {
    await addSiteUser(db, { site, email: 'lead@trust.example', fullName: 'Lee Lead', groupName: group });
  }
  await linkSso(db, { email: 'lead@trust.example', sites: ['north', 'south', 'vetting'], passwordHash: hash });
}

/** A new Teacher at North with the password PASSWORD, for a test that changes their account alone. */
export async function addNorthTeacher(g: Running, email: string, fullName: string) {
  return addSiteUser(g.services.db, { site: 'north', email, fullName, groupName: 'Teachers', passwordHash: await g.services.passwords.hash(PASSWORD) });
}

/** seedSchools' Gatehouse, its mail sent to a real SMTP server in the test (`inbox`); close() stops both. */
export async function startSeededWithInbox(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestGatehouse & { inbox: SmtpInbox }> {
  const inbox = await SmtpInbox.start();
  const g = await startTestGatehouse(kind, { env: { SMTP_URL: inbox.url, MAIL_POLL_MS: '200', ...env } });
  await seedSchools(g);
  return {
    ...g,
    inbox,
    async close() {
      await g.close();
      await inbox.close();
    },
  };
}
