// POST /:site/logout and POST /:site/switch.
import { Hono } from 'hono';
import { signOut } from '../../auth/flows/sign-out.ts';
import { switchSite } from '../../auth/flows/switch-site.ts';
import { sitePaths } from '../../lib/urls.ts';
import { clearCookie, SESSION_COOKIE, writeCookie } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { requireSignedIn } from '../guards/index.ts';
import { errorPage } from '../views/error-page.tsx';

export const sessionActionRoutes = new Hono<AppEnv>()
  // Public: signing out works whether or not the session is still there.
  .post('/logout', async (c) => {
    const signedIn = c.var.signedIn;
    if (signedIn) await signOut(c.var.services, signedIn, { ip: c.var.ip, userAgent: c.var.userAgent });
    clearCookie(c, SESSION_COOKIE);
    return c.redirect(sitePaths(c.var.site.slug).login, 303);
  })
  // Signed in anywhere: the flow checks the membership at the school switched to.
  .post('/switch', requireSignedIn(), async (c) => {
    const signedIn = c.var.signedIn!;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const result = await switchSite(c.var.services, signedIn, (form.site ?? '').slice(0, 100), { ip: c.var.ip, userAgent: c.var.userAgent });
    if (!result.ok) return errorPage(c, 403, 'Cannot switch school', result.message);
    writeCookie(c, SESSION_COOKIE, result.value.token);
    return c.redirect(sitePaths(result.value.site.slug).home, 303);
  });
