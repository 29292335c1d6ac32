// Gatehouse as an OpenID Connect provider: panva's oidc-provider (OpenID-certified; we write
// none of the protocol), configured here and served by the same process (web/oidc-mount.ts).
// Issuer = PUBLIC_URL. What is ours: the storage (adapter.ts), the clients (the school's
// registered integrations, clients.ts), the claims (accounts.ts), the keys (signing-keys.ts)
// and every sign-in decision, which the provider hands to Gatehouse's own pages (a login
// prompt for every authorization request: web/routes/oidc-interaction.tsx decides it with
// auth/access.ts and answers with the session's acr and amr).
import type { KoaContextWithOIDC, ErrorOut as ProviderErrorOut } from 'oidc-provider';
import Provider, { interactionPolicy, type JWK } from 'oidc-provider';
import type { SessionDefaults } from '../auth/sessions.ts';
import type { Db } from '../db/connect.ts';
import { ACR, findAccount, SCOPE_CLAIMS } from './accounts.ts';
import { createPayloadAdapter, writeTogether } from './adapter.ts';
import { clientMetadata, type FindClient } from './clients.ts';
import { SILENT_PARAM, signInComesFirst } from './interaction.ts';

/** Where the provider's endpoints are, below the issuer. */
export const OIDC_ROUTES = {
  authorization: '/oidc/auth',
  token: '/oidc/token',
  userinfo: '/oidc/userinfo',
  jwks: '/oidc/jwks',
  revocation: '/oidc/token/revocation',
  introspection: '/oidc/token/introspection',
  end_session: '/oidc/session/end',
} as const;

/** Lifetimes, in seconds. A refresh token lives no longer than a Gatehouse session may. */
export interface OidcLifetimes {
  accessToken: number;
  idToken: number;
  refreshToken: number;
}

export type ErrorOut = ProviderErrorOut;

/** The pages the provider shows itself, drawn by the web layer in Gatehouse's own look. */
export interface ProviderPages {
  error(out: ErrorOut): string;
  /** "Sign out of Gatehouse?": a form posting `xsrf` and `logout=yes` to `action`. */
  logout(form: { action: string; xsrf: string; clientName: string | undefined }): string;
  loggedOut(clientName: string | undefined): string;
}

export interface ProviderOptions {
  db: Db;
  issuer: string;
  /** Seals the ids kept in storage (the secret-encryption key). */
  encryptionKey: Buffer;
  /** Signs the provider's own cookies. */
  cookieKeys: string[];
  jwks: JWK[];
  findClient: FindClient;
  lifetimes: OidcLifetimes;
  /** A grant lasts no longer than the Gatehouse session it came from (accounts.ts checks its timeouts). */
  sessionDefaults: SessionDefaults;
  pages: ProviderPages;
  /** Back-channel logout may reach loopback and private addresses (else oidc-provider's SSRF guard refuses them). */
  logoutToPrivateAddresses: boolean;
  /** Believe X-Forwarded-Proto/Host (TRUST_PROXY). */
  behindProxy: boolean;
  /** An interaction's page: Gatehouse's (web/routes/oidc-interaction.tsx). */
  interactionPath(uid: string): string;
  /** The school's sign-in page, returning to `next` once signed in. */
  signInPath(siteSlug: string, next: string): string;
  /** The Gatehouse session cookie's name as browsers keep it. */
  sessionCookie: string;
}

/**
 * Where an authorization request goes first. The provider sends it to the interaction's page,
 * which decides its steps with the Gatehouse session; a browser with no Gatehouse session can
 * only be asked to sign in there, so it goes straight to the school's sign-in page instead, one
 * redirect sooner, and returns to the interaction from it. The interaction's cookie keeps the
 * interaction's own path (the provider gives it the path it first redirects to, which binds
 * the interaction to this browser).
 */
function straightToSignIn(o: ProviderOptions) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.oidc?.route !== 'authorization' || ctx.status !== 303) return;
    const interaction = ctx.oidc.entities.Interaction;
    if (!interaction || ctx.response.get('location') !== o.interactionPath(interaction.uid)) return;
    if (ctx.cookies.get(o.sessionCookie, { signed: false })) return;
    const { params } = interaction;
    if (!signInComesFirst(params)) return;
    const client = await o.findClient(String(params.client_id));
    if (client) ctx.redirect(o.signInPath(client.siteSlug, o.interactionPath(interaction.uid)));
  };
}

export function createProvider(o: ProviderOptions): Provider {
  const policy = interactionPolicy.base();
  // Every authorization request comes to Gatehouse's pages first, which decide it with the
  // Gatehouse session as it is now (signed in here, the school's rules, the acr asked for,
  // max_age, prompt=login). Once they have answered, the provider's own checks run again.
  policy
    .get('login')!
    .checks.add(new interactionPolicy.Check('gatehouse_decides', 'Gatehouse decides every sign-in', 'login_required', (ctx) => !ctx.oidc.result), 0);

  const provider = new Provider(o.issuer, {
    adapter: (model: string) => {
      if (model === 'Client') {
        return {
          async find(id: string) {
            const client = await o.findClient(id);
            return client ? clientMetadata(client) : undefined;
          },
        } as never;
      }
      return createPayloadAdapter(o.db, o.encryptionKey, model);
    },
    findAccount: findAccount(o.db, o.sessionDefaults),
    claims: { ...SCOPE_CLAIMS, openid: [...SCOPE_CLAIMS.openid] } as never,
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    acrValues: [ACR.basic, ACR.full],
    // The ID token carries the claims too, so a system knows the access level from it alone.
    conformIdTokenClaims: false,
    jwks: { keys: o.jwks as never },
    cookies: { keys: o.cookieKeys },
    routes: OIDC_ROUTES,
    responseTypes: ['code'],
    extraParams: [SILENT_PARAM],
    pkce: { required: () => true },
    interactions: { policy, url: (_ctx, interaction) => o.interactionPath(interaction.uid) },
    // Consent is the school's: it registered the system (web/routes/oidc-interaction.tsx grants).
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // A code or token lives as long as its grant, which lives no longer than the Gatehouse
    // session it came from (accounts.ts checks that session on every use; ending it revokes the
    // grant): not bound to the provider's own session too, which every use would read again.
    expiresWithSession: async () => false,
    rotateRefreshToken: () => true,
    ttl: {
      AccessToken: o.lifetimes.accessToken,
      AuthorizationCode: 60,
      IdToken: o.lifetimes.idToken,
      RefreshToken: o.lifetimes.refreshToken,
      Grant: o.lifetimes.refreshToken,
      Interaction: 30 * 60,
      Session: o.lifetimes.refreshToken,
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      // A system asks about and revokes only its own tokens (not another school's system's).
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC) => {
          const clientName = ctx.oidc.client?.clientName;
          ctx.type = 'html';
          ctx.body = o.pages.logout({ action: ctx.oidc.urlFor('end_session_confirm'), xsrf: ctx.oidc.session!.state!.secret as string, clientName });
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = o.pages.loggedOut(ctx.oidc.client?.clientName);
        },
      },
    },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] } as never,
    // The provider's only outgoing requests are back-channel logouts (no request_uri, no sector_identifier_uri).
    fetch: (url, options) => {
      if (o.logoutToPrivateAddresses && options) delete (options as { dispatcher?: unknown }).dispatcher;
      return globalThis.fetch(url, options);
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = o.pages.error(out);
    },
  });
  provider.proxy = o.behindProxy;
  // Each request's writes (a session, a code, tokens) go as one statement, before it answers (adapter.ts).
  provider.use((_ctx, next) => writeTogether(o.db, next));
  provider.use(straightToSignIn(o));
  return provider;
}
