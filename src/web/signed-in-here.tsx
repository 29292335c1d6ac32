// Pages of a site need someone signed in at that site. Signed in at another of their own
// schools, they are offered the switch; otherwise they go to this site's sign-in page.
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { SignedIn } from '../auth/sessions.ts';
import { siteUser } from '../db/schema.ts';
import { sitesOfAccount } from '../directory/sites.ts';
import type { AppEnv } from './env.ts';
import type { Chrome } from './views/layout.tsx';
import { SwitchPrompt } from './views/other-pages.tsx';
import { render } from './views/render.ts';

export async function chrome(c: Context<AppEnv>, signedIn: SignedIn): Promise<Chrome> {
  const sites = signedIn.account.kind === 'sso' ? await sitesOfAccount(c.var.services.db, signedIn.account.id) : [];
  return { csrfToken: c.var.csrfToken, signedIn, sites };
}

/** The signed-in person at this site, or the response to send instead. */
export async function signedInHere(c: Context<AppEnv>): Promise<{ signedIn: SignedIn; chrome: Chrome } | Response> {
  const signedIn = c.var.signedIn;
  const site = c.var.site;
  if (!signedIn) return c.redirect(`/${site.slug}/login`, 303);
  if (signedIn.site.id !== site.id) {
    const [member] = await c.var.services.db
      .select({ id: siteUser.id })
      .from(siteUser)
      .where(and(eq(siteUser.siteId, site.id), eq(siteUser.accountId, signedIn.account.id), eq(siteUser.status, 'active')));
    if (!member) return c.redirect(`/${site.slug}/login`, 303);
    return render(c, <SwitchPrompt chrome={await chrome(c, signedIn)} signedIn={signedIn} target={site} />);
  }
  return { signedIn, chrome: await chrome(c, signedIn) };
}
