// A school system's sign-in request, as the person's steps. Every authorization request
// comes here (provider.ts sends each to Gatehouse's pages), and is decided with the Gatehouse
// session as it is now, by auth/access.ts like any page of the school:
//   signed in at the system's school? (else: sign in there; an SSO member signed in at another
//   of their schools is switched; anyone else is told, and the system gets access_denied) ->
//   the school's two-factor rule -> a fresh sign-in when prompt=login or max_age ask for one
//   ("Confirm it's you") -> full access when the system asks for it (acr_values or an
//   essential acr claim): Elevate Your Access, or, without a device, how to add one (giving
//   up answers unmet_authentication_requirements) -> the code, with the session's acr and amr.
// With prompt=none the same steps are asked, and any but the code answers the system an error.
// Step-up is enforced here: no code is issued for a weaker sign-in than the one asked for.
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Logger } from 'pino';
import { type AccessFacts, decideAccess } from '../auth/access.ts';
import { amrOf } from '../auth/second-factors/index.ts';
import type { SignedIn } from '../auth/sessions.ts';
import type { Db } from '../db/connect.ts';
import { oidcGrant, securityEvent } from '../db/schema.ts';
import type { ProviderClient } from '../directory/integrations.ts';
import { logSecurityEvent, securityEventRow } from '../security-log/security-events.ts';
import { ACR } from './accounts.ts';
import { alsoWrite } from './adapter.ts';

export type InteractionStep =
  | { step: 'sign_in' }
  | { step: 'switch_school' }
  | { step: 'not_a_member' }
  | { step: 'elevate' }
  /** Full access (or the school's rule) needs a second factor, and the account has no device. */
  | { step: 'add_device'; because: 'school_requires' | 'full_access_asked' }
  | { step: 'reauthenticate' }
  | { step: 'finish' };

/** What the system asked for, read from the authorization request's parameters. */
export interface SignInRequest {
  /** Full access, by acr_values (without basic among them) or an essential acr claim. */
  fullAccess: boolean;
  /** Seconds (max_age). */
  maxAge: number | undefined;
  /** prompt=login: a sign-in after the request was made. */
  freshSignIn: boolean;
  /** When the request was made. */
  askedAt: Date;
  /** prompt=none: the code at once, or an error for the system; never a page. */
  silent: boolean;
}

type Params = Record<string, unknown>;

/**
 * prompt=none, as the provider is given it (web/oidc-mount.ts renames it): the provider would
 * answer login_required itself, since every request goes to Gatehouse's pages; under this name
 * the request goes there too, and they decide it without showing anything (below).
 */
export const SILENT_PARAM = 'gatehouse_prompt';

/** The prompts the system asked for, as the provider keeps them (space-separated). */
export function promptsOf(params: Params): string[] {
  return String(params.prompt ?? '').split(' ');
}

/**
 * Whether, for a browser with no Gatehouse session, the school's sign-in page is certainly the
 * first step (provider.ts sends it there at once): not with prompt=none, answered without a
 * page, nor with prompt=login, whose moment the interaction's page notes on its first visit.
 */
export function signInComesFirst(params: Params): boolean {
  return params[SILENT_PARAM] !== 'none' && !promptsOf(params).includes('login');
}

function asksForFull(params: Params): boolean {
  const values = typeof params.acr_values === 'string' ? params.acr_values.split(' ') : [];
  if (values.includes(ACR.full) && !values.includes(ACR.basic)) return true;
  if (typeof params.claims !== 'string') return false;
  try {
    const acr = (JSON.parse(params.claims) as { id_token?: { acr?: { essential?: boolean; value?: string; values?: string[] } } }).id_token?.acr;
    if (!acr?.essential) return false;
    const wanted = acr.values ?? (acr.value ? [acr.value] : []);
    return wanted.length > 0 && wanted.every((v) => v === ACR.full);
  } catch {
    return false;
  }
}

export function signInRequest(params: Params, prompts: readonly string[], askedAtMs: number): SignInRequest {
  const maxAge = params.max_age === undefined ? undefined : Number(params.max_age);
  return {
    fullAccess: asksForFull(params),
    maxAge: Number.isFinite(maxAge) ? maxAge : undefined,
    freshSignIn: prompts.includes('login'),
    askedAt: new Date(askedAtMs),
    silent: params[SILENT_PARAM] === 'none',
  };
}

/**
 * prompt=none and the next step needs the person (OpenID Connect Core 3.1.2.6): login_required
 * when they must sign in (here, again, or as someone who is a member), interaction_required when
 * signed in but a switch of school, Elevate Your Access or a device is needed.
 */
export function silentRefusal(step: Exclude<InteractionStep, { step: 'finish' }>): { error: string; error_description: string } {
  switch (step.step) {
    case 'sign_in':
    case 'not_a_member':
    case 'reauthenticate':
      return { error: 'login_required', error_description: 'the person must sign in at Gatehouse' };
    case 'switch_school':
    case 'elevate':
    case 'add_device':
      return { error: 'interaction_required', error_description: 'the person must act at Gatehouse before this sign-in' };
  }
}

/** The next step for this request; `facts` are the Gatehouse session's at the system's school. */
export async function nextStep(facts: AccessFacts, req: SignInRequest): Promise<InteractionStep> {
  const here = await decideAccess(facts, [{ need: 'signed_in_here' }]);
  if (!here.allowed) {
    switch (here.reason) {
      case 'signed_in_elsewhere':
        return here.member ? { step: 'switch_school' } : { step: 'not_a_member' };
      case 'two_factor_required':
        return here.canElevate ? { step: 'elevate' } : { step: 'add_device', because: 'school_requires' };
      default:
        return { step: 'sign_in' };
    }
  }
  const { session } = facts.signedIn!;
  // In whole seconds, as the provider checks them again (auth_time and the request's time are).
  const signedInAt = Math.floor(session.authenticatedAt.getTime() / 1000);
  if (req.freshSignIn && session.authenticatedAt.getTime() < req.askedAt.getTime()) return { step: 'reauthenticate' };
  if (req.maxAge !== undefined && Math.floor(facts.now.getTime() / 1000) - signedInAt > req.maxAge) return { step: 'reauthenticate' };
  if (req.fullAccess && session.level !== 'full') {
    return (await facts.hasDevice()) ? { step: 'elevate' } : { step: 'add_device', because: 'full_access_asked' };
  }
  return { step: 'finish' };
}

export interface FinishDeps {
  db: Db;
  log: Logger;
  /** Seconds a grant lives: as long as its refresh tokens may. */
  grantSeconds: number;
}

/**
 * The sign-in is done: a grant of what the system asked (consent is the school's, which
 * registered it), recorded with the session it came from, and the security log's line naming
 * the system. Answers what the provider is told.
 */
export async function finishSignIn(
  deps: FinishDeps,
  provider: Provider,
  signedIn: SignedIn,
  client: ProviderClient,
  params: Params,
  requestClient: { ip: string; userAgent: string },
): Promise<InteractionResults> {
  const grant = new provider.Grant({ accountId: signedIn.account.id, clientId: client.clientId });
  if (typeof params.scope === 'string') grant.addOIDCScope(params.scope);
  const requested = requestedClaims(params.claims);
  if (requested.length) grant.addOIDCClaims(requested);
  const grantId = await grant.save();
  const level = signedIn.session.level;
  const event = {
    accountId: signedIn.account.id,
    siteId: signedIn.site.id,
    event: 'system_sign_in',
    ...requestClient,
    detail: { system: client.name, clientId: client.clientId, level, sessionId: signedIn.session.id },
  } as const;
  // The grant's session and its log line, with the grant itself when the caller writes them together (adapter.ts).
  await alsoWrite(deps.db, [
    deps.db.insert(oidcGrant).values({
      grantId,
      clientId: client.clientId,
      accountId: signedIn.account.id,
      siteId: signedIn.site.id,
      sessionId: signedIn.session.id,
      level,
      expiresAt: new Date(Date.now() + deps.grantSeconds * 1000),
    }),
    deps.db.insert(securityEvent).values(securityEventRow(event)),
  ]);
  logSecurityEvent(deps.log, event);
  return {
    login: {
      accountId: signedIn.account.id,
      acr: level === 'full' ? ACR.full : ACR.basic,
      amr: amrOf(signedIn.session.methods),
      ts: Math.floor(signedIn.session.authenticatedAt.getTime() / 1000),
      remember: true,
    },
    consent: { grantId },
  };
}

/** The claims a `claims` parameter names, for the ID token and userinfo alike. */
function requestedClaims(claims: unknown): string[] {
  if (typeof claims !== 'string') return [];
  try {
    const parsed = JSON.parse(claims) as { id_token?: object; userinfo?: object };
    return [...new Set([...Object.keys(parsed.id_token ?? {}), ...Object.keys(parsed.userinfo ?? {})])];
  } catch {
    return [];
  }
}
