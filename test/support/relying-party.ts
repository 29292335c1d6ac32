// A school system signing people in through Gatehouse, for tests: openid-client as the
// relying party (discovery, the code flow with PKCE, refresh, revocation, introspection,
// RP-initiated logout), jose to check what it is given from its own side, a tiny HTTP server
// for back-channel logout, and a browser (test/support/client.ts) that follows Gatehouse's pages.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll } from 'vitest';
import { auditedByCommandLine } from '../../src/directory/admin-audit.ts';
import { addIntegration, type ProviderClient } from '../../src/directory/integrations.ts';
import { requireSite } from '../../src/directory/sites.ts';
import type { Running } from '../../src/gatehouse.ts';
import { type Client, movesOnTo, type PageResponse } from './client.ts';
import type { DatabaseKind } from './databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from './test-gatehouse.ts';

export interface AuthorizeOptions {
  acrValues?: string;
  maxAge?: number;
  prompt?: string;
  claims?: string;
  scope?: string;
  redirectUri?: string;
}

export interface Started {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
}

/** What the browser's journey through Gatehouse ended at: back at the system, or a Gatehouse page. */
export type Landing = { at: 'system'; url: URL } | { at: 'gatehouse'; page: PageResponse; path: string };

/** A logout token the system's back-channel endpoint received. */
export interface ReceivedLogout {
  token: string;
}

export class RelyingParty {
  logouts: ReceivedLogout[] = [];
  private waiting: Array<() => void> = [];

  private constructor(
    readonly gatehouse: Running,
    readonly config: oidc.Configuration,
    readonly clientId: string,
    readonly redirectUri: string,
    private readonly server: Server | undefined,
    private readonly clientSecret: string,
  ) {}

  /**
   * The same system talking to another instance on the same database (which answers with the
   * same issuer, as every instance behind one PUBLIC_URL does). Its logout tokens arrive at `rp`.
   */
  static async forSameClient(rp: RelyingParty, other: Running): Promise<RelyingParty> {
    const metadata = (await (await fetch(`${other.url}/.well-known/openid-configuration`)).json()) as oidc.ServerMetadata;
    const config = new oidc.Configuration(metadata, rp.clientId, undefined, oidc.ClientSecretBasic(rp.clientSecret));
    oidc.allowInsecureRequests(config);
    const twin = new RelyingParty(other, config, rp.clientId, rp.redirectUri, undefined, rp.clientSecret);
    twin.logouts = rp.logouts;
    return twin;
  }

  /** Registers a system at `siteSlug` (as `gatehouse client add` does) and discovers Gatehouse. */
  static async register(g: Running, siteSlug: string, options: { name?: string; backchannel?: boolean; issuer?: string } = {}): Promise<RelyingParty> {
    let rp: RelyingParty | undefined;
    let server: Server | undefined;
    let backchannelUri: string | undefined;
    if (options.backchannel) {
      server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          const token = new URLSearchParams(body).get('logout_token');
          if (token) rp?.received(token);
          res.writeHead(200).end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      backchannelUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/backchannel-logout`;
    }
    const redirectUri = `http://127.0.0.1:9/${siteSlug}/callback`;
    const site = await requireSite(g.services.db, siteSlug);
    const added = await addIntegration({ db: g.services.db, keys: g.services.keys }, auditedByCommandLine(g.services.keys.auditChain), site.id, {
      name: options.name ?? `Records ${Math.random().toString(36).slice(2, 8)}`,
      redirectUris: [redirectUri],
      postLogoutRedirectUris: [`http://127.0.0.1:9/${siteSlug}/signed-out`],
      backchannelLogoutUri: backchannelUri,
    });
    if (!added.ok) throw new Error(added.message);
    const { clientId, clientSecret } = added.value;
    const issuer = new URL(options.issuer ?? g.services.config.publicUrl.origin);
    const config = await oidc.discovery(issuer, clientId, undefined, oidc.ClientSecretBasic(clientSecret), { execute: [oidc.allowInsecureRequests] });
    rp = new RelyingParty(g, config, clientId, redirectUri, server, clientSecret);
    return rp;
  }

  private received(token: string) {
    this.logouts.push({ token });
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Resolves once `count` logout tokens have arrived (or fails the test by its timeout). */
  async logoutsReceived(count: number): Promise<ReceivedLogout[]> {
    while (this.logouts.length < count) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.logouts;
  }

  async start(options: AuthorizeOptions = {}): Promise<Started> {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const params: Record<string, string> = {
      redirect_uri: options.redirectUri ?? this.redirectUri,
      scope: options.scope ?? 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    if (options.acrValues) params.acr_values = options.acrValues;
    if (options.maxAge !== undefined) params.max_age = String(options.maxAge);
    if (options.prompt) params.prompt = options.prompt;
    if (options.claims) params.claims = options.claims;
    return { url: oidc.buildAuthorizationUrl(this.config, params), state, nonce, verifier };
  }

  /** The code exchanged for tokens, the ID token checked by openid-client (and its nonce, state, PKCE). */
  async finish(started: Started, callback: URL, options: { maxAge?: number } = {}) {
    return oidc.authorizationCodeGrant(this.config, callback, {
      pkceCodeVerifier: started.verifier,
      expectedState: started.state,
      expectedNonce: started.nonce,
      ...(options.maxAge !== undefined ? { maxAge: options.maxAge } : {}),
    });
  }

  /** The ID token verified with jose against Gatehouse's published keys, as any system would. */
  async verifyIdToken(idToken: string): Promise<JWTPayload & Record<string, unknown>> {
    const meta = this.config.serverMetadata();
    const { payload } = await jwtVerify(idToken, createRemoteJWKSet(new URL(meta.jwks_uri!)), { issuer: meta.issuer, audience: this.clientId });
    return payload as JWTPayload & Record<string, unknown>;
  }

  async verifyLogoutToken(token: string): Promise<JWTPayload & Record<string, unknown>> {
    const meta = this.config.serverMetadata();
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(meta.jwks_uri!)), {
      issuer: meta.issuer,
      audience: this.clientId,
      typ: 'logout+jwt',
    });
    return payload as JWTPayload & Record<string, unknown>;
  }

  /** The browser goes to `url` and follows redirects (and the page that moves on at once) while they stay at Gatehouse (the browser's instance). */
  async follow(browser: Client, url: URL | string): Promise<Landing> {
    let next = new URL(url, this.gatehouse.url);
    // The instance's own address, and PUBLIC_URL (the same in most tests; another instance's in two-instances tests).
    const gatehouse = new Set([new URL(this.gatehouse.url).origin, new URL(this.config.serverMetadata().issuer).origin]);
    for (let hops = 0; hops < 20; hops++) {
      if (!gatehouse.has(next.origin)) return { at: 'system', url: next };
      const path = `${next.pathname}${next.search}`;
      const page = await browser.get(path);
      const onward = movesOnTo(page);
      if (!onward) return { at: 'gatehouse', page, path };
      next = new URL(onward, next);
    }
    throw new Error('too many redirects');
  }

  /** Posts a form at Gatehouse, then follows where it leads. */
  async submit(browser: Client, path: string, fields: Record<string, string>): Promise<Landing> {
    const page = await browser.post(path, fields);
    const onward = movesOnTo(page);
    if (!onward) return { at: 'gatehouse', page, path };
    return this.follow(browser, onward);
  }

  /**
   * The whole journey for a person with a password only: the system's request, the school's
   * sign-in page if they are not signed in, and back at the system with a code.
   */
  async signIn(browser: Client, email: string, options: AuthorizeOptions = {}) {
    const started = await this.start(options);
    let landing = await this.follow(browser, started.url);
    if (landing.at === 'gatehouse' && landing.path.includes('/login')) {
      const next = new URL(landing.path, this.gatehouse.url).searchParams.get('next') ?? '';
      landing = await this.submit(browser, landing.path, { email, password: PASSWORD, provider: 'identity', next });
    }
    return { started, landing };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * Resolves once the instance has heard of a change to a registered system (a wake-up from the
 * change's commit: at once on the embedded database, a moment later from PostgreSQL), as
 * `heard` tells from the system as the instance keeps it (oidc/clients.ts).
 */
export async function changeHeard(g: Running, clientId: string, heard: (client: ProviderClient | null) => boolean): Promise<void> {
  while (!heard(await g.services.oidc.findClient(clientId))) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The code the system was sent back with, or its error. */
export function callbackOf(landing: Landing): URL {
  if (landing.at !== 'system') throw new Error(`still at Gatehouse: ${landing.path} (${landing.page.status})`);
  return landing.url;
}

/** For a describe block: a seeded Gatehouse of that kind and a system registered at North, started before its tests and closed after. */
export function useGatehouseWithSystem(kind: DatabaseKind, options: { backchannel?: boolean; env?: Record<string, string> } = {}) {
  const context = {} as { g: TestGatehouse; rp: RelyingParty };
  beforeAll(async () => {
    context.g = await startTestGatehouse(kind, { env: options.env ?? {} });
    await seedSchools(context.g);
    context.rp = await RelyingParty.register(context.g, 'north', { backchannel: options.backchannel ?? false });
  });
  afterAll(async () => {
    await context.rp?.close();
    await context.g?.close();
  });
  return context;
}
