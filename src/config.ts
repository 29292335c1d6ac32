// Every setting Gatehouse reads, its default and its validation, in one place.
// A bad value stops start-up with one clear line per setting (see ConfigError).
import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { type SupportContact, supportContactFields } from './lib/support-contact.ts';

export type { SupportContact };

// Each kind of setting says what it must be in words for the person editing the env file,
// not the validator's ("Too big: expected number to be <=65535").
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { error: 'must be true or false (or 1/0, yes/no, on/off)' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const int = (min: number, max: number) => {
  const error = `must be a number from ${min.toLocaleString('en-GB')} to ${max.toLocaleString('en-GB')}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of ${values.join(', ')}` });

/** Whose X-Forwarded-For is believed: none (hops 0), the nearest `hops` proxies, or the listed proxies. */
export type TrustProxy = { hops: number } | { proxies: string[] };

const TRUST_PROXY_FORMS = 'true, false, a number of proxies, or a comma-separated list of proxy addresses and CIDR ranges (10.0.0.0/8,192.168.1.5,::1)';

/** An address or range proxy-addr understands (it also knows loopback, linklocal and uniquelocal). */
function isProxyEntry(entry: string): boolean {
  try {
    proxyaddr.compile(entry);
    return true;
  } catch {
    return false;
  }
}

const trustProxy = z
  .string()
  .default('false')
  .transform((v, ctx): TrustProxy => {
    if (v === 'true' || v === 'false' || /^\d{1,2}$/.test(v)) return { hops: v === 'true' ? 1 : v === 'false' ? 0 : Number(v) };
    const proxies = v.split(',').map((entry) => entry.trim());
    const bad = proxies.filter((entry) => !isProxyEntry(entry));
    if (bad.length)
      ctx.addIssue({
        code: 'custom',
        message: `has ${bad.map((b) => `"${b}"`).join(', ')}, which is not a proxy address or CIDR range: it must be ${TRUST_PROXY_FORMS}`,
      });
    return { proxies };
  });

// OWASP's argon2id floor: m=19456 KiB, t=2, p=1. Settings may raise it, never lower it.
export const ARGON2_FLOOR = { memoryKiB: 19456, iterations: 2, parallelism: 1 } as const;

// The same checks as `gatehouse site support`, worded for the env file.
const supportFields = supportContactFields({
  email: 'must be an email address, such as support@example.org',
  phone: 'must be a phone number, such as 0113 496 0000 or +44 113 496 0000',
  url: 'must be a web address, such as https://help.example.org',
});

const envSchema = z.object({
  NODE_ENV: oneOf(['development', 'production', 'test'] as const).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1, { error: 'must be an address to listen on, such as 127.0.0.1 or 0.0.0.0' }).default('127.0.0.1'),
  METRICS_PORT: int(0, 65535).optional(),
  METRICS_HOST: z.string().min(1, { error: 'must be an address to listen on, such as 127.0.0.1' }).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be the address people use, such as https://gatehouse.example.org' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .refine((v) => URL.canParse(v) && new URL(v).hostname !== '', 'must name the mail server (smtps://user:pass@host:465)')
    .optional(),
  MAIL_FROM: z.string().min(3, { error: 'must be a sender such as Gatehouse <no-reply@example.org>' }).default('Gatehouse <no-reply@gatehouse.localhost>'),
  MAIL_POLL_MS: int(10, 600_000).default(2000),
  MAIL_RETRY_BASE_MS: int(1, 3_600_000).default(5000),
  MAIL_GIVE_UP_HOURS: int(1, 7 * 24).default(24),
  SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43,}={0,2}$/, 'must be at least 32 random bytes, base64 (openssl rand -base64 32)')
    .optional(),
  DEMO: bool.optional(),
  TRUST_PROXY: trustProxy,
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const).default('info'),
  ARGON2_MEMORY_KIB: int(ARGON2_FLOOR.memoryKiB, 4_194_304).default(ARGON2_FLOOR.memoryKiB),
  ARGON2_ITERATIONS: int(ARGON2_FLOOR.iterations, 100).default(ARGON2_FLOOR.iterations),
  ARGON2_PARALLELISM: int(ARGON2_FLOOR.parallelism, 16).default(ARGON2_FLOOR.parallelism),
  HASH_CONCURRENCY: int(1, 256).optional(),
  HASH_QUEUE_LIMIT: int(0, 100_000).optional(),
  SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
  RESET_RESPONSE_MS: int(0, 10_000).default(250),
  SESSION_ABSOLUTE_HOURS: int(1, 7 * 24).default(12),
  OIDC_ACCESS_TOKEN_MINUTES: int(1, 24 * 60).default(10),
  OIDC_LOGOUT_POLL_MS: int(10, 600_000).default(2000),
  OIDC_LOGOUT_TO_PRIVATE_ADDRESSES: bool.optional(),
  MAINTENANCE_INTERVAL_MINUTES: int(1, 24 * 60).default(10),
  SHUTDOWN_GRACE_SECONDS: int(1, 600).default(20),
  SESSION_RETENTION_DAYS: int(1, 3650).default(30),
  MAIL_RETENTION_DAYS: int(1, 3650).default(30),
  // Six years (with their leap days): how long records that may be needed in a claim are kept.
  SECURITY_LOG_RETENTION_DAYS: int(30, 36_500).default(6 * 365 + 2),
  // Unset: the audit is kept for ever. Never under a year, so a slip cannot empty a school's audit.
  AUDIT_RETENTION_DAYS: int(365, 36_500).optional(),
  // Where staff get help: shown in the footer of every page and every email (a site may set its own).
  SUPPORT_EMAIL: supportFields.email,
  SUPPORT_PHONE: supportFields.phone,
  SUPPORT_URL: supportFields.url,
  // The place database: .mmdb files (comma-separated), or "off"; unset: DB-IP's, as installed.
  GEOIP_DB: z.string().optional(),
  WEB_PUSH: bool.optional(),
  VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'must be a VAPID public key, base64url (npx web-push generate-vapid-keys)')
    .optional(),
  VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a VAPID private key, base64url (npx web-push generate-vapid-keys)')
    .optional(),
  VAPID_SUBJECT: z
    .string()
    .regex(/^(https:\/\/|mailto:)\S+$/, 'must be an https: address or a mailto: address')
    .optional(),
});

export type Env = Record<string, string | undefined>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Where /metrics is served (a listener of its own), when METRICS_PORT is set. */
  metrics: { port: number; host: string } | undefined;
  publicUrl: URL;
  /** Cookies get Secure and the __Host- prefix when the public address is https. */
  secureCookies: boolean;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** How often each instance looks for mail to send (a kick sends at once). */
  mailPollMs: number;
  /** After a failed try: wait baseMs, doubling each time up to 15 min; give up after giveUpHours. */
  mailRetry: { baseMs: number; giveUpHours: number };
  secretKey: string | undefined;
  demo: boolean;
  /** Whose X-Forwarded-For gives the client's address (web/client-address.ts). */
  trustProxy: TrustProxy;
  logLevel: string;
  argon2: { memoryKiB: number; iterations: number; parallelism: number };
  hashConcurrency: number | undefined;
  hashQueueLimit: number | undefined;
  sessionDefaults: { idleMinutes: number; absoluteHours: number };
  /** Every reset-link request is answered after at least this long, known address or not. */
  resetResponseMs: number;
  /** Where staff get help (SUPPORT_*), unless their site sets its own. */
  support: SupportContact;
  /** OpenID Connect (src/oidc/): access tokens' and ID tokens' life; how often back-channel logouts are looked for. */
  oidc: {
    accessTokenMinutes: number;
    logoutPollMs: number;
    /** Back-channel logout may reach loopback and private-network addresses (a school system on its own network). */
    logoutToPrivateAddresses: boolean;
  };
  /** On SIGTERM: how long requests in flight (and the last mail) get before the instance stops. */
  shutdownGraceMs: number;
  /** Housekeeping (maintenance/): how often a round runs, and how many days what it removes is kept first. */
  maintenance: {
    intervalMinutes: number;
    retentionDays: { sessions: number; mail: number; securityLog: number; audit: number | undefined };
  };
  /** The place database's files (GEOIP_DB); undefined: DB-IP's city database, as installed; []: none. */
  geoipDb: string[] | undefined;
  /** Web Push to the Gatehouse Authenticator: on unless WEB_PUSH=off; the operator's VAPID keys, or made and kept in the database. */
  webPush: { enabled: boolean; keys: { publicKey: string; privateKey: string } | undefined; subject: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Gatehouse cannot start: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Env = process.env): Config {
  // Empty strings mean "not set", as they do in most shells' env files.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && !e.SECRET_KEY) problems.push('SECRET_KEY is required when NODE_ENV=production');
  if (e.NODE_ENV === 'production' && !e.PUBLIC_URL) problems.push('PUBLIC_URL is required when NODE_ENV=production');
  // Without it mail would only reach the dev mailbox, which production never serves.
  if (e.NODE_ENV === 'production' && !e.SMTP_URL) {
    problems.push('SMTP_URL is required when NODE_ENV=production (smtps://user:pass@host:465 or smtp://user:pass@host:587)');
  }
  if ((e.VAPID_PUBLIC_KEY === undefined) !== (e.VAPID_PRIVATE_KEY === undefined)) {
    problems.push('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both (npx web-push generate-vapid-keys), or neither to have Gatehouse make a pair');
  }
  if (problems.length) throw new ConfigError(problems);

  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  // Push services may write to whoever sends: the public https address, or else the mail sender.
  const mailbox = /<([^>]+)>/.exec(e.MAIL_FROM)?.[1] ?? e.MAIL_FROM;
  const vapidSubject = e.VAPID_SUBJECT ?? (publicUrl.protocol === 'https:' ? publicUrl.origin : `mailto:${mailbox}`);
  const geoip = e.GEOIP_DB?.trim();
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    metrics: e.METRICS_PORT === undefined ? undefined : { port: e.METRICS_PORT, host: e.METRICS_HOST ?? e.HOST },
    publicUrl,
    secureCookies: publicUrl.protocol === 'https:',
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir: e.DATA_DIR,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailPollMs: e.MAIL_POLL_MS,
    mailRetry: { baseMs: e.MAIL_RETRY_BASE_MS, giveUpHours: e.MAIL_GIVE_UP_HOURS },
    secretKey: e.SECRET_KEY,
    // Demo accounts have published passwords: never by default in production.
    demo: e.DEMO ?? e.NODE_ENV !== 'production',
    trustProxy: e.TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    argon2: { memoryKiB: e.ARGON2_MEMORY_KIB, iterations: e.ARGON2_ITERATIONS, parallelism: e.ARGON2_PARALLELISM },
    hashConcurrency: e.HASH_CONCURRENCY,
    hashQueueLimit: e.HASH_QUEUE_LIMIT,
    sessionDefaults: { idleMinutes: e.SESSION_IDLE_MINUTES, absoluteHours: e.SESSION_ABSOLUTE_HOURS },
    resetResponseMs: e.RESET_RESPONSE_MS,
    support: { email: e.SUPPORT_EMAIL, phone: e.SUPPORT_PHONE, url: e.SUPPORT_URL },
    oidc: {
      accessTokenMinutes: e.OIDC_ACCESS_TOKEN_MINUTES,
      logoutPollMs: e.OIDC_LOGOUT_POLL_MS,
      // Off in production unless set: oidc-provider then refuses special-use addresses (SSRF).
      logoutToPrivateAddresses: e.OIDC_LOGOUT_TO_PRIVATE_ADDRESSES ?? e.NODE_ENV !== 'production',
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    maintenance: {
      intervalMinutes: e.MAINTENANCE_INTERVAL_MINUTES,
      retentionDays: {
        sessions: e.SESSION_RETENTION_DAYS,
        mail: e.MAIL_RETENTION_DAYS,
        securityLog: e.SECURITY_LOG_RETENTION_DAYS,
        audit: e.AUDIT_RETENTION_DAYS,
      },
    },
    geoipDb: geoip === undefined ? undefined : geoip === 'off' ? [] : geoip.split(',').map((f) => f.trim()),
    webPush: {
      enabled: e.WEB_PUSH ?? true,
      keys: e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY } : undefined,
      subject: vapidSubject,
    },
  };
}
