// Account Settings > "Browsers you have signed in with": forgetting one, or every other one.
// A forgotten browser is a stranger again at its next sign-in (auth/known-browsers.ts). Each
// forgetting and its security-log line are one transaction.
import { done, type Outcome, refused } from '../../lib/outcome.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { type BrowserClaim, forgetKnownBrowser, forgetKnownBrowsers } from '../known-browsers.ts';
import type { SignedIn } from '../sessions.ts';
import type { FlowDeps } from './deps.ts';

interface Client {
  ip: string;
  userAgent: string;
}

type Deps = Pick<FlowDeps, 'db' | 'log'>;

export function forgetBrowser(deps: Deps, signedIn: SignedIn, id: string, client: Client): Promise<Outcome> {
  return deps.db.transaction(async (tx) => {
    if (!(await forgetKnownBrowser(tx, signedIn.account.id, id)))
      return refused('not_found', 'That browser has already been forgotten, or is not one of yours.');
    await recordSecurityEvent(tx, deps.log, {
      accountId: signedIn.account.id,
      siteId: signedIn.site.id,
      event: 'known_browser_forgotten',
      ...client,
      detail: { browserId: id },
    });
    return done();
  });
}

export function forgetOtherBrowsers(deps: Deps, signedIn: SignedIn, current: BrowserClaim | undefined, client: Client): Promise<Outcome<{ count: number }>> {
  return deps.db.transaction(async (tx) => {
    const count = await forgetKnownBrowsers(tx, signedIn.account.id, current);
    await recordSecurityEvent(tx, deps.log, {
      accountId: signedIn.account.id,
      siteId: signedIn.site.id,
      event: 'known_browsers_forgotten',
      ...client,
      detail: { count },
    });
    return done({ count });
  });
}
