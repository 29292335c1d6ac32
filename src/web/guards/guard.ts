// A guard is a route's declared requirement (auth/access.ts decides it): a Hono middleware
// that lets the request through, with the signed-in person in c.var.here, or answers with
// what the refusal means (refusal.tsx). Marked, so that a test can find every route that has
// none (test/integration/routes-are-guarded.test.ts).
import { and, eq } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { type AccessFacts, decideAccess, type Requirement } from '../../auth/access.ts';
import { siteUser } from '../../db/schema.ts';
import { accountHasDevice, chrome } from '../chrome.ts';
import type { AppEnv } from '../env.ts';
import { type RefusalOptions, refusalResponse } from './refusal.tsx';

export const GUARD = Symbol('gatehouse.guard');

export type Guard = MiddlewareHandler<AppEnv> & { [GUARD]: string };

/** Whether a handler is a guard (for the test that walks the routes). */
export function isGuard(handler: unknown): handler is Guard {
  return typeof handler === 'function' && GUARD in handler;
}

/** What the rules look at for this request, each database fact asked at most once. */
export function accessFacts(c: Context<AppEnv>): AccessFacts {
  let facts = c.get('accessFacts');
  if (facts) return facts;
  const { signedIn, site } = c.var;
  let device: Promise<boolean> | undefined;
  let member: Promise<boolean> | undefined;
  facts = {
    signedIn,
    site,
    now: new Date(),
    hasDevice: () => (device ??= signedIn ? accountHasDevice(c, signedIn) : Promise.resolve(false)),
    isMemberHere: () =>
      (member ??= signedIn
        ? c.var.services.db
            .select({ id: siteUser.id })
            .from(siteUser)
            .where(and(eq(siteUser.siteId, site.id), eq(siteUser.accountId, signedIn.account.id), eq(siteUser.status, 'active')))
            .then((rows) => rows.length > 0)
        : Promise.resolve(false)),
  };
  c.set('accessFacts', facts);
  return facts;
}

export function guard(name: string, requirements: readonly Requirement[], options: RefusalOptions = {}): Guard {
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    const facts = accessFacts(c);
    const decision = await decideAccess(facts, requirements);
    if (!decision.allowed) return refusalResponse(c, decision, options, () => pageChrome(c, facts));
    const { signedIn } = facts;
    if (signedIn && signedIn.site.id === facts.site.id && !c.var.here) c.set('here', { signedIn, chrome: await pageChrome(c, facts) });
    await next();
  };
  return Object.assign(middleware, { [GUARD]: name });
}

async function pageChrome(c: Context<AppEnv>, facts: AccessFacts) {
  return chrome(c, facts.signedIn!, await facts.hasDevice());
}
