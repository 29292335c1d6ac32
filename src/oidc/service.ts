// The OpenID Connect provider as the process holds it (made in services.ts, passed down):
// the provider itself, made on first use from PUBLIC_URL and the signing keys in the database
// (and again when they are rotated, heard through a wake-up, or read every minute), and the
// back-channel logout sender.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { JWK, KoaContextWithOIDC } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import type { Wakeups } from '../db/wakeups.ts';
import { INTEGRATIONS_CHANGED } from '../directory/integrations.ts';
import type { Keys } from '../lib/keys.ts';
import type { Metrics } from '../lib/metrics.ts';
import { BackchannelLogoutSender } from './backchannel.ts';
import { ClientCache, type FindClient } from './clients.ts';
import { createProvider, type ProviderPages } from './provider.ts';
import { loadSigningKeys, SIGNING_KEYS_CHANGED } from './signing-keys.ts';

export interface OidcServiceOptions {
  config: Config;
  db: Db;
  keys: Keys;
  log: Logger;
  findClient: FindClient;
  pages: ProviderPages;
  interactionPath(uid: string): string;
  signInPath(siteSlug: string, next: string): string;
  sessionCookie: string;
  /** Where a key rotation at any instance (or the gatehouse command) is heard. */
  wakeups?: Wakeups;
  /** Authorizations and token requests are counted here. */
  metrics?: Metrics;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The provider with the keys it was made with (their kids, in order: the signing one first). */
interface Made {
  provider: Provider;
  handle: Listener;
  kids: string;
}

/** How long a registered system is kept without a wake-up saying it changed. */
const CLIENTS_KEPT_MS = 60_000;

/** How often an instance reads the keys itself, should it miss a rotation's wake-up (a dropped LISTEN). */
const KEYS_CHECK_MS = 60_000;

const kidsOf = (jwks: JWK[]) => jwks.map((k) => k.kid).join(' ');

/** The errors that mean the person, or a rule about them, said no (not a bad request). */
const DENIALS = new Set(['access_denied', 'login_required', 'interaction_required', 'unmet_authentication_requirements', 'consent_required']);
const GRANTS = new Set(['authorization_code', 'refresh_token']);

/** The provider's events, as the metrics' counts (lib/metrics.ts): outcomes and grant types only. */
function countOutcomes(provider: Provider, metrics: Metrics): void {
  const { authorizations, tokens } = metrics.oidc;
  const grantOf = (ctx: KoaContextWithOIDC) => {
    const grant = String(ctx.oidc?.params?.grant_type ?? '');
    return GRANTS.has(grant) ? grant : 'other';
  };
  provider.on('authorization.success', () => authorizations.inc({ outcome: 'issued' }));
  provider.on('authorization.error', (_ctx, err: { error?: string }) => authorizations.inc({ outcome: DENIALS.has(err.error ?? '') ? 'denied' : 'error' }));
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => tokens.inc({ grant: grantOf(ctx), outcome: 'issued' }));
  provider.on('grant.error', (ctx: KoaContextWithOIDC) => tokens.inc({ grant: grantOf(ctx), outcome: 'refused' }));
}

export class OidcService {
  private made: Promise<Made> | undefined;
  private keysCheckedAt = 0;
  readonly logouts: BackchannelLogoutSender;

  private readonly clients: ClientCache;

  constructor(private readonly o: OidcServiceOptions) {
    this.logouts = new BackchannelLogoutSender(o.db, () => this.provider(), o.log.child({ component: 'oidc' }), o.config.oidc.logoutPollMs);
    this.clients = new ClientCache(o.findClient, CLIENTS_KEPT_MS);
    const { wakeups } = o;
    wakeups?.on(SIGNING_KEYS_CHANGED, () => {
      if (!wakeups.closing) void this.reloadKeys();
    });
    wakeups?.on(INTEGRATIONS_CHANGED, () => this.clients.forget());
  }

  /** The registered system, as this instance keeps it (clients.ts). */
  get findClient(): FindClient {
    return this.clients.find;
  }

  /**
   * The provider: its issuer is PUBLIC_URL as it is when first made (tests learn their port
   * after start-up), and it signs with the newest key. A rotation makes it again with the new
   * keys (reloadKeys); requests under way finish with the one they began with.
   */
  async provider(): Promise<Provider> {
    return (await this.current()).provider;
  }

  /** The provider's request handler (a Node listener), made with it. */
  async handler(): Promise<Listener> {
    return (await this.current()).handle;
  }

  /** Makes the signing key on first start (so that it exists before the first request). */
  async prepare(): Promise<void> {
    await loadSigningKeys(this.o.db, this.o.keys.encryption);
  }

  /** Reads the keys again and, when they changed, signs and publishes with the new ones from the next request. */
  async reloadKeys(): Promise<void> {
    this.keysCheckedAt = Date.now();
    try {
      const jwks = await loadSigningKeys(this.o.db, this.o.keys.encryption);
      const current = await this.made?.catch(() => undefined);
      if (current?.kids === kidsOf(jwks)) return;
      this.made = Promise.resolve(this.make(jwks));
      this.o.log.info({ component: 'oidc', kid: jwks[0]?.kid }, 'OpenID Connect signing keys reloaded');
    } catch (err) {
      this.o.log.warn({ component: 'oidc', err }, 'OpenID Connect signing keys: reload failed; signing with the keys already loaded');
    }
  }

  private current(): Promise<Made> {
    if (!this.made) {
      const made = loadSigningKeys(this.o.db, this.o.keys.encryption).then((jwks) => this.make(jwks));
      made.catch(() => {
        if (this.made === made) this.made = undefined;
      });
      this.made = made;
      this.keysCheckedAt = Date.now();
    } else if (Date.now() - this.keysCheckedAt > KEYS_CHECK_MS) {
      void this.reloadKeys();
    }
    return this.made;
  }

  private make(jwks: JWK[]): Made {
    const { config, db, keys } = this.o;
    const minutes = config.oidc.accessTokenMinutes;
    const provider = createProvider({
      db,
      issuer: config.publicUrl.origin,
      encryptionKey: keys.encryption,
      cookieKeys: [keys.oidcCookies],
      jwks,
      findClient: this.clients.find,
      lifetimes: { accessToken: minutes * 60, idToken: minutes * 60, refreshToken: config.sessionDefaults.absoluteHours * 3600 },
      sessionDefaults: config.sessionDefaults,
      pages: this.o.pages,
      logoutToPrivateAddresses: config.oidc.logoutToPrivateAddresses,
      behindProxy: 'proxies' in config.trustProxy || config.trustProxy.hops > 0,
      interactionPath: this.o.interactionPath,
      signInPath: this.o.signInPath,
      sessionCookie: this.o.sessionCookie,
    });
    if (this.o.metrics) countOutcomes(provider, this.o.metrics);
    return { provider, handle: provider.callback() as never, kids: kidsOf(jwks) };
  }
}
