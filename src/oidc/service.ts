// The OpenID Connect provider as the process holds it (made in services.ts, passed down):
// the provider itself, made on first use from PUBLIC_URL and the signing keys in the database,
// and the back-channel logout sender.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import type { Keys } from '../lib/keys.ts';
import { BackchannelLogoutSender } from './backchannel.ts';
import type { FindClient } from './clients.ts';
import { createProvider, type ProviderPages } from './provider.ts';
import { loadSigningKeys } from './signing-keys.ts';

export interface OidcServiceOptions {
  config: Config;
  db: Db;
  keys: Keys;
  log: Logger;
  findClient: FindClient;
  pages: ProviderPages;
  interactionPath(uid: string): string;
}

export class OidcService {
  private made: Promise<Provider> | undefined;
  private listener: Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> | undefined;
  readonly logouts: BackchannelLogoutSender;

  constructor(private readonly o: OidcServiceOptions) {
    this.logouts = new BackchannelLogoutSender(o.db, () => this.provider(), o.log.child({ component: 'oidc' }), o.config.oidc.logoutPollMs);
  }

  get findClient(): FindClient {
    return this.o.findClient;
  }

  /**
   * The provider, made once: its issuer is PUBLIC_URL as it is then (tests learn their port
   * after start-up), and it signs with the newest key (a rotation takes effect at the next start).
   */
  provider(): Promise<Provider> {
    this.made ??= (async () => {
      const { config, db, keys } = this.o;
      const jwks = await loadSigningKeys(db, keys.encryption);
      const minutes = config.oidc.accessTokenMinutes;
      return createProvider({
        db,
        issuer: config.publicUrl.origin,
        encryptionKey: keys.encryption,
        cookieKeys: [keys.oidcCookies],
        jwks,
        findClient: this.o.findClient,
        lifetimes: { accessToken: minutes * 60, idToken: minutes * 60, refreshToken: config.sessionDefaults.absoluteHours * 3600 },
        sessionDefaults: config.sessionDefaults,
        pages: this.o.pages,
        logoutToPrivateAddresses: config.oidc.logoutToPrivateAddresses,
        behindProxy: 'proxies' in config.trustProxy || config.trustProxy.hops > 0,
        interactionPath: this.o.interactionPath,
      });
    })();
    this.made.catch(() => {
      this.made = undefined;
    });
    return this.made;
  }

  /** The provider's request handler (a Node listener), made once with it. */
  handler(): Promise<(req: IncomingMessage, res: ServerResponse) => Promise<void>> {
    this.listener ??= this.provider().then((p) => p.callback() as never);
    this.listener.catch(() => {
      this.listener = undefined;
    });
    return this.listener;
  }

  /** Makes the signing key on first start (so that it exists before the first request). */
  async prepare(): Promise<void> {
    await loadSigningKeys(this.o.db, this.o.keys.encryption);
  }
}
