// Account Settings > "Browsers you have signed in with": forgetting one, or every other one.
// A forgotten browser is a stranger again at its next sign-in (auth/known-browsers.ts).
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import type { AuthServices } from './deps.ts';
import { type BrowserClaim, forgetKnownBrowser, forgetKnownBrowsers } from '../known-browsers.ts';
import type { SignedIn } from '../sessions.ts';

interface Client {
  ip: string;
  userAgent: string;
}

export async function forgetBrowser(services: AuthServices, signedIn: SignedIn, id: string, client: Client): Promise<boolean> {
  const forgotten = await forgetKnownBrowser(services.db, signedIn.account.id, id);
  if (forgotten) {
    await recordSecurityEvent(services.db, services.log, { accountId: signedIn.account.id, siteId: signedIn.site.id, event: 'known_browser_forgotten', ...client, detail: { browserId: id } });
  }
  return forgotten;
}

export async function forgetOtherBrowsers(services: AuthServices, signedIn: SignedIn, current: BrowserClaim | undefined, client: Client): Promise<number> {
  const count = await forgetKnownBrowsers(services.db, signedIn.account.id, current);
  await recordSecurityEvent(services.db, services.log, { accountId: signedIn.account.id, siteId: signedIn.site.id, event: 'known_browsers_forgotten', ...client, detail: { count } });
  return count;
}
