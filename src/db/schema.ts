// The one Postgres schema, shared by the embedded database and a PostgreSQL server.
// Change it here, then `npm run db:generate` writes the SQL migration into drizzle/.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => at('created_at').notNull().defaultNow();

export const trust = pgTable('trust', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  createdAt: createdAt(),
});

/** Per-site overrides of security settings; anything absent takes the service default. */
export interface SiteSettings {
  sessionIdleMinutes?: number;
  sessionAbsoluteHours?: number;
  minPasswordLength?: number;
  requireComposition?: boolean;
  requireTwoFactor?: boolean;
  showSsoSwitch?: boolean;
  /** "Flag accounts not used for N days" (default 90), and whether housekeeping disables them. */
  dormantAfterDays?: number;
  disableDormant?: boolean;
  /** The school's own support contact for its staff (`gatehouse site support`), instead of the service's. */
  support?: { email?: string; phone?: string; url?: string };
}

export const site = pgTable(
  'site',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    postcode: text('postcode'),
    kind: text('kind', { enum: ['safeguarding', 'staffsafe'] })
      .notNull()
      .default('safeguarding'),
    trustId: uuid('trust_id').references(() => trust.id),
    timeZone: text('time_zone').notNull().default('Europe/London'),
    settings: jsonb('settings').$type<SiteSettings>().notNull().default({}),
    /** Set once an SSO account is linked here: the sign-in page then offers the Identity/SSO switch. */
    hasSsoUsers: boolean('has_sso_users').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [check('site_kind_valid', sql`${t.kind} in ('safeguarding', 'staffsafe')`)],
);

export const siteGroup = pgTable(
  'site_group',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => site.id),
    name: text('name').notNull(),
    permissions: text('permissions').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('site_group_site_name').on(t.siteId, sql`lower(${t.name})`)],
);

/** What signs in: an Identity account (one site user) or an SSO account (several). */
export const account = pgTable(
  'account',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['identity', 'sso'] }).notNull(),
    email: text('email').notNull(),
    /** PHC string: algorithm and parameters travel with the hash. Null until first set. */
    passwordHash: text('password_hash'),
    passwordChangedAt: at('password_changed_at'),
    /** Second factors failed in a row; at the cap (auth/throttle/second-factor-throttle.ts) they stop working. */
    secondFactorFailures: integer('second_factor_failures').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    check('account_kind_valid', sql`${t.kind} in ('identity', 'sso')`),
    uniqueIndex('account_sso_email').on(t.email).where(sql`${t.kind} = 'sso'`),
    index('account_email').on(t.email),
  ],
);

/** A person at a site. Linked to exactly one account, of either kind. */
export const siteUser = pgTable(
  'site_user',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => site.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    groupId: uuid('group_id')
      .notNull()
      .references(() => siteGroup.id),
    fullName: text('full_name').notNull(),
    email: text('email').notNull(),
    jobTitle: text('job_title'),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    lastLoginAt: at('last_login_at'),
    createdAt: createdAt(),
    /** "Access starts on" and "Access ends on", as the admin gave them: dates on the school's calendar. */
    accessStartsOn: date('access_starts_on', { mode: 'string' }),
    accessEndsOn: date('access_ends_on', { mode: 'string' }),
    /** The same as instants in the school's time zone (the start of the first day, the end of the last), which sign-in and the sweep compare. */
    accessStartsAt: at('access_starts_at'),
    accessEndsAt: at('access_ends_at'),
    /** When housekeeping ended their access here at access_ends_at (its sessions, its audit row), once. */
    accessEndedAt: at('access_ended_at'),
    /** Marked as a leaver: disabled, and kept with everything they did. */
    leftAt: at('left_at'),
    /** "abbott wendy abbott": surname first, for the admin's list sorted by surname. */
    sortName: text('sort_name').notNull().generatedAlwaysAs(sql`lower(regexp_replace(full_name, '^.*[[:space:]]', '')) || ' ' || lower(full_name)`),
  },
  (t) => [
    check('site_user_status_valid', sql`${t.status} in ('active', 'disabled')`),
    uniqueIndex('site_user_site_email').on(t.siteId, t.email),
    index('site_user_account').on(t.accountId),
    // Housekeeping finds whose access has just ended without reading the whole table.
    index('site_user_access_due').on(t.accessEndsAt).where(sql`${t.accessEndedAt} is null and ${t.accessEndsAt} is not null`),
    index('site_user_site_sort').on(t.siteId, t.sortName, t.id),
    // Quick User Search: any part of the name or email, on a site of 100,000 users among many
    // sites. btree_gin lets the trigram index lead with one key for the site and a coarse band
    // of the surname order (SORT_BANDS in src/directory/user-search.ts: a probe sees only this
    // school's matches in one band, and a page is found band by band); apostrophes are letters
    // here, so that "o'n" is one trigram rather than none worth having.
    index('site_user_site_search').using(
      'gin',
      sql`(${t.siteId}::text || '/' || width_bucket(${t.sortName}, array['b', 'e', 'j', 'n', 's', 'w']))`,
      sql`(translate(lower(${t.fullName} || ' ' || ${t.email}), '''’', 'qq')) gin_trgm_ops`,
    ),
  ],
);

export const session = pgTable(
  'session',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 of the cookie's token, hex. The token itself is never stored. */
    tokenHash: text('token_hash').notNull().unique(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    siteUserId: uuid('site_user_id')
      .notNull()
      .references(() => siteUser.id),
    siteId: uuid('site_id')
      .notNull()
      .references(() => site.id),
    level: text('level', { enum: ['basic', 'full'] })
      .notNull()
      .default('basic'),
    methods: text('methods').array().notNull().default(sql`'{}'::text[]`),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    /** The last sign-in or elevation: adding or removing devices needs one in the last 15 minutes. */
    authenticatedAt: at('authenticated_at').notNull().defaultNow(),
    /** The password was typed again (to confirm it's them); the second factor comes next. */
    passwordConfirmedAt: at('password_confirmed_at'),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    endedAt: at('ended_at'),
    endReason: text('end_reason'),
  },
  (t) => [
    check('session_level_valid', sql`${t.level} in ('basic', 'full')`),
    index('session_account_active').on(t.accountId).where(sql`${t.endedAt} is null`),
    // Housekeeping finds sessions long over by when they began (maintenance/sweeps.ts).
    index('session_created').on(t.createdAt),
  ],
);

/** A user's security log: what happened to their account, newest read first. */
export const securityEvent = pgTable(
  'security_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id').references(() => account.id),
    siteId: uuid('site_id').references(() => site.id),
    at: at('at').notNull().defaultNow(),
    event: text('event').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** Internal detail (a failure's reason, the other site of a switch): never a secret. */
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
  },
  (t) => [
    index('security_event_account_at').on(t.accountId, t.at.desc(), t.id.desc()),
    // Housekeeping removes rows past SECURITY_LOG_RETENTION_DAYS without reading years of them.
    index('security_event_at').on(t.at),
  ],
);

/** Counters for rate-limiter-flexible's Drizzle store, shared by every instance. */
export const rateLimit = pgTable(
  'rate_limit',
  {
    key: text('key').primaryKey(),
    points: integer('points').notNull().default(0),
    expire: at('expire'),
  },
  (t) => [index('rate_limit_expire').on(t.expire)],
);

/**
 * A browser that has signed in to an account (auth/known-browsers.ts): its cookie carries a
 * random id, of which only the SHA-256 is kept. While it lives, the browser's failed attempts
 * count apart from strangers' (so a stranger cannot lock the owner out there) and it passes the
 * door under a flood. Deleted when forgotten, on a password reset and when devices are removed.
 */
export const knownBrowser = pgTable(
  'known_browser',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    createdAt: createdAt(),
    lastSignedInAt: at('last_signed_in_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('known_browser_account').on(t.accountId), index('known_browser_expires').on(t.expiresAt)],
);

/** A first-password or reset link: only the token's hash is kept; one use; midnight expiry. */
export const resetToken = pgTable(
  'reset_token',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    /** Where it was asked for: its time zone sets the expiry, and the person returns to its sign-in page. */
    siteId: uuid('site_id')
      .notNull()
      .references(() => site.id),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    /** Set when another link of the account was used, or the password changed otherwise. */
    revokedAt: at('revoked_at'),
    ip: text('ip'),
  },
  (t) => [index('reset_token_account').on(t.accountId)],
);

/** The account's recent password hashes, so that a reset cannot reuse one of the last five. */
export const passwordHistory = pgTable(
  'password_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('password_history_account').on(t.accountId, t.createdAt.desc())],
);

/**
 * Mail waiting to go, written in the same transaction as whatever it tells of (a reset link),
 * so an SMTP outage delays mail but never loses it. The message itself is encrypted at rest
 * (it can hold a one-time link) and dropped once sent, except in the dev mailbox.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    recipient: text('recipient').notNull(),
    /** What kind of mail (reset_link, no_account, password_changed…), for logs and the dev mailbox. */
    kind: text('kind').notNull(),
    /** The school it is about, whose support contact its footer gives (else the service's). */
    siteId: uuid('site_id').references(() => site.id, { onDelete: 'set null' }),
    /** Subject, text and HTML, encrypted with the key derived from SECRET_KEY. */
    sealedMessage: text('sealed_message'),
    createdAt: createdAt(),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    /** An instance sending it holds it until then; another instance may take it after. */
    lockedUntil: at('locked_until'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: at('sent_at'),
    /** Given up after repeated failures (the reason is in last_error). */
    failedAt: at('failed_at'),
  },
  (t) => [index('mail_outbox_due').on(t.nextAttemptAt).where(sql`${t.sentAt} is null and ${t.failedAt} is null`)],
);

/**
 * A second factor of an account: an authenticator app (TOTP), a security key or passkey
 * (WebAuthn), a vendor-issued hardware TOTP token that school admins cannot remove, or the
 * Gatehouse Authenticator (a TOTP secret, a device key that signs its answers, and where to push).
 */
export const device = pgTable(
  'device',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id').references(() => account.id),
    kind: text('kind', { enum: ['totp', 'webauthn', 'managed_totp', 'gatehouse_authenticator'] }).notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
    lastUsedAt: at('last_used_at'),
    /** Set the first time it is used to sign in or elevate; "Unverified" until then. */
    verifiedAt: at('verified_at'),
    /** TOTP: the base32 secret, sealed with the key derived from SECRET_KEY. */
    sealedSecret: text('sealed_secret'),
    /** TOTP: the last time step accepted, so a code works once. */
    lastTotpStep: integer('last_totp_step'),
    /** WebAuthn: the credential's id (base64url), its COSE public key (base64url), its counter. */
    credentialId: text('credential_id').unique(),
    publicKey: text('public_key'),
    signCount: bigint('sign_count', { mode: 'number' }),
    transports: text('transports').array(),
    attestationFormat: text('attestation_format'),
    aaguid: text('aaguid'),
    /** Managed tokens: the vendor's serial number. */
    serial: text('serial').unique(),
    /** Gatehouse Authenticator: the device key's public JWK (EC P-256), which signs every answer. */
    deviceKey: jsonb('device_key').$type<Record<string, string>>(),
    /** Gatehouse Authenticator: its Web Push subscription (JSON), sealed; null when it has none. */
    sealedPushSubscription: text('sealed_push_subscription'),
  },
  (t) => [
    check('device_kind_valid', sql`${t.kind} in ('totp', 'webauthn', 'managed_totp', 'gatehouse_authenticator')`),
    index('device_account').on(t.accountId),
  ],
);

/**
 * A single-use token that lets the Gatehouse Authenticator register itself (the QR code's
 * `gatehouse_enrol`): only its hash is kept, with the TOTP secret shown beside it (sealed) and
 * the session that made it, which must still be live when it is used.
 */
export const authenticatorEnrolment = pgTable(
  'authenticator_enrolment',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => session.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    sealedSecret: text('sealed_secret').notNull(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
    /** The device it registered. */
    deviceId: uuid('device_id').references(() => device.id, { onDelete: 'set null' }),
  },
  (t) => [index('authenticator_enrolment_session').on(t.sessionId), index('authenticator_enrolment_expires').on(t.expiresAt)],
);

/**
 * A sign-in request to the account's Gatehouse Authenticator: made for one pending sign-in (or
 * one session elevating or confirming it's them: `ownerId`), answered once, living two minutes.
 * The number is the one shown on the signing-in screen, which the phone must type to approve.
 */
export const signInRequest = pgTable(
  'sign_in_request',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    siteId: uuid('site_id')
      .notNull()
      .references(() => site.id),
    /** The pending sign-in's id, or the session's when elevating or confirming it's them. */
    ownerId: uuid('owner_id').notNull(),
    number: text('number').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'code_sent', 'denied', 'wrong_number', 'superseded', 'used'] })
      .notNull()
      .default('pending'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** The approximate place of `ip` when it was made ("near Leeds, England"). */
    place: text('place'),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    answeredAt: at('answered_at'),
    deviceId: uuid('device_id').references(() => device.id, { onDelete: 'set null' }),
  },
  (t) => [
    check('sign_in_request_status_valid', sql`${t.status} in ('pending', 'approved', 'code_sent', 'denied', 'wrong_number', 'superseded', 'used')`),
    // At most one waiting per account: a new one replaces it (sign-in-requests.ts).
    uniqueIndex('sign_in_request_one_pending').on(t.accountId).where(sql`${t.status} = 'pending'`),
    index('sign_in_request_owner').on(t.ownerId),
    index('sign_in_request_expires').on(t.expiresAt),
  ],
);

/** The unique ids (`jti`) of the Gatehouse Authenticator's signed calls, kept until they expire: a replay is refused. */
export const authenticatorJti = pgTable(
  'authenticator_jti',
  {
    deviceId: uuid('device_id')
      .notNull()
      .references(() => device.id, { onDelete: 'cascade' }),
    jti: text('jti').notNull(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.jti] }), index('authenticator_jti_expires').on(t.expiresAt)],
);

/** The VAPID key pair Web Push is sent with, made on first start (the private key sealed); one row. */
export const webPushKey = pgTable('web_push_key', {
  id: integer('id').primaryKey(),
  publicKey: text('public_key').notNull(),
  sealedPrivateKey: text('sealed_private_key').notNull(),
  createdAt: createdAt(),
});

/** Single-use codes for when no device is at hand; only a keyed hash (HMAC) is kept. */
export const recoveryCode = pgTable(
  'recovery_code',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: at('used_at'),
  },
  (t) => [index('recovery_code_account').on(t.accountId)],
);

/**
 * A sign-in that has passed the password and waits for the second factor. It is not a
 * session: it grants nothing, lives minutes, and only its token's hash is kept.
 */
export const pendingSignIn = pgTable('pending_sign_in', {
  id: uuid('id').primaryKey().defaultRandom(),
  tokenHash: text('token_hash').notNull().unique(),
  accountId: uuid('account_id')
    .notNull()
    .references(() => account.id),
  siteUserId: uuid('site_user_id')
    .notNull()
    .references(() => siteUser.id),
  siteId: uuid('site_id')
    .notNull()
    .references(() => site.id),
  provider: text('provider').notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
  createdAt: createdAt(),
  expiresAt: at('expires_at').notNull(),
});

/**
 * Server-side state of a ceremony in progress, one per owner and purpose: a WebAuthn
 * challenge, or the TOTP secret being enrolled (so a wrong code keeps the same QR).
 * The owner is a session's or a pending sign-in's id. Values are sealed.
 */
export const ceremony = pgTable(
  'ceremony',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').notNull(),
    purpose: text('purpose').notNull(),
    sealedValue: text('sealed_value').notNull(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [uniqueIndex('ceremony_owner_purpose').on(t.ownerId, t.purpose)],
);

/**
 * Every admin action at a site, append-only (a trigger refuses UPDATE and DELETE), each row
 * chained to the site's previous one by a SHA-256 hash so that a change to history shows.
 */
export const auditEvent = pgTable(
  'audit_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => site.id),
    at: at('at').notNull(),
    /** Who: a site user of this site, or platform support (no site user). */
    actorSiteUserId: uuid('actor_site_user_id'),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    targetSiteUserId: uuid('target_site_user_id'),
    targetName: text('target_name'),
    detail: jsonb('detail').$type<Record<string, string | number | boolean | null>>().notNull().default({}),
    ip: text('ip'),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_event_site').on(t.siteId, t.id.desc())],
);

/** What the service itself records for the command line and other instances (the public address it serves at). */
export const serviceSetting = pgTable('service_setting', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});
/**
 * OpenID Connect provider storage (src/oidc/adapter.ts): every model oidc-provider keeps
 * (sessions, interactions, codes, tokens, grants), one row each, the payload as the library
 * writes it. Tokens are found by their id, which is the opaque token's value: ids are stored as
 * the SHA-256 of the id, so a copy of the table holds no usable token.
 */
export const oidcPayload = pgTable(
  'oidc_payload',
  {
    model: text('model').notNull(),
    idHash: text('id_hash').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    grantId: text('grant_id'),
    userCode: text('user_code'),
    uid: text('uid'),
    consumedAt: at('consumed_at'),
    expiresAt: at('expires_at'),
  },
  (t) => [
    uniqueIndex('oidc_payload_model_id').on(t.model, t.idHash),
    index('oidc_payload_grant').on(t.grantId),
    index('oidc_payload_uid').on(t.uid),
    index('oidc_payload_expires').on(t.expiresAt),
  ],
);

/**
 * A school system's sign-in through Gatehouse: the grant oidc-provider issued its tokens
 * under, and the Gatehouse session, site and level it was issued from. Revoking these
 * (src/auth/oidc-grants.ts) revokes every token of the grant and tells the system.
 */
export const oidcGrant = pgTable(
  'oidc_grant',
  {
    grantId: text('grant_id').primaryKey(),
    clientId: text('client_id').notNull(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => account.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => site.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id').references(() => session.id, { onDelete: 'set null' }),
    level: text('level', { enum: ['basic', 'full'] }).notNull(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('oidc_grant_account').on(t.accountId), index('oidc_grant_session').on(t.sessionId), index('oidc_grant_expires').on(t.expiresAt)],
);

/**
 * The provider's signing keys, private JWKs sealed with SECRET_KEY. The newest signs; one
 * retired by `gatehouse keys rotate` stays in the JWKS until what it signed has expired.
 */
export const oidcSigningKey = pgTable('oidc_signing_key', {
  kid: text('kid').primaryKey(),
  sealedJwk: text('sealed_jwk').notNull(),
  createdAt: createdAt(),
  retiredAt: at('retired_at'),
});

/**
 * Back-channel logout tokens to deliver (src/oidc/backchannel.ts): written in the transaction
 * that ended the sign-in, sent after it, retried with backoff, so the person never waits for
 * a school system to answer.
 */
export const oidcLogoutOutbox = pgTable(
  'oidc_logout_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    clientId: text('client_id').notNull(),
    accountId: uuid('account_id').notNull(),
    sid: text('sid'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    createdAt: createdAt(),
    sentAt: at('sent_at'),
    failedAt: at('failed_at'),
    lastError: text('last_error'),
  },
  (t) => [index('oidc_logout_outbox_due').on(t.nextAttemptAt).where(sql`${t.sentAt} is null and ${t.failedAt} is null`)],
);

/**
 * A school system that signs its staff in through Gatehouse (an OpenID Connect client), registered
 * by the school's admin (Admin > Integrations) or the operator (`gatehouse client add`). It
 * belongs to one site: only that site's members are signed in to it.
 */
export const oidcClient = pgTable(
  'oidc_client',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => site.id),
    /** Public: the system sends it with every request. Random, so it says nothing about the school. */
    clientId: text('client_id').notNull().unique(),
    name: text('name').notNull(),
    /**
     * The client secret, sealed with the key derived from SECRET_KEY rather than hashed: the
     * provider (oidc-provider) must compare the secret a system presents with the plain value,
     * and would sign with it for HS256, so a one-way hash cannot serve. A copy of the database
     * alone still opens nothing.
     */
    sealedSecret: text('sealed_secret').notNull(),
    /** Exactly as registered: OpenID Connect compares a request's redirect_uri as a string. */
    redirectUris: text('redirect_uris').array().notNull(),
    /** Where RP-initiated logout may send the person back to; none: Gatehouse's own signed-out page. */
    postLogoutRedirectUris: text('post_logout_redirect_uris').array().notNull().default(sql`'{}'::text[]`),
    /** Gatehouse posts a signed logout token here when the person's Gatehouse session ends. */
    backchannelLogoutUri: text('backchannel_logout_uri'),
    /** A disabled system is refused sign-ins and tokens until enabled again; its registration is kept. */
    disabledAt: at('disabled_at'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    secretRotatedAt: at('secret_rotated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('oidc_client_site_name').on(t.siteId, sql`lower(${t.name})`)],
);
