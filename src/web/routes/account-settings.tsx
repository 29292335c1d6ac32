// /:site/account: the person's own account, their sessions and their security log.
import { Hono } from 'hono';
import { forgetBrowser, forgetOtherBrowsers } from '../../auth/flows/forget-browsers.ts';
import { signOutOtherSessions, signOutSession } from '../../auth/flows/sign-out.ts';
import { listKnownBrowsers } from '../../auth/known-browsers.ts';
import { listActiveSessions } from '../../auth/sessions.ts';
import { isUuid } from '../../lib/is-uuid.ts';
import { readSecurityLog } from '../../security-log/security-events.ts';
import type { AppEnv } from '../env.ts';
import { browserClaimOf } from '../known-browser.ts';
import { AccountPage, SecurityLogView } from '../views/account-settings-page.tsx';
import { errorPage } from '../views/error-page.tsx';
import { render } from '../views/render.ts';

const NOTICES: Record<string, string> = {
  'signed-out': 'That session has been signed out.',
  'signed-out-others': 'All your other sessions have been signed out.',
  'browser-forgotten': 'That browser has been forgotten.',
  'browsers-forgotten': 'All your other browsers have been forgotten.',
};

export const accountSettingsRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const here = c.var.here;
    const { db, config } = c.var.services;
    const sessions = await listActiveSessions(db, here.signedIn.account.id, config.sessionDefaults);
    const browsers = await listKnownBrowsers(db, here.signedIn.account.id, browserClaimOf(c, here.signedIn.account.email));
    const notice = NOTICES[c.req.query('done') ?? ''];
    return render(c, <AccountPage chrome={here.chrome} signedIn={here.signedIn} sessions={sessions} browsers={browsers} {...(notice ? { notice } : {})} />);
  })
  .get('/security-log', async (c) => {
    const here = c.var.here;
    const page = Number.parseInt(c.req.query('page') ?? '1', 10);
    const log = await readSecurityLog(c.var.services.db, here.signedIn.account.id, Number.isFinite(page) ? page : 1);
    return render(c, <SecurityLogView chrome={here.chrome} signedIn={here.signedIn} log={log} />);
  })
  .post('/sessions/sign-out-others', async (c) => {
    const here = c.var.here;
    await signOutOtherSessions(c.var.services, here.signedIn, { ip: c.var.ip, userAgent: c.var.userAgent });
    return c.redirect(`/${c.var.site.slug}/account?done=signed-out-others`, 303);
  })
  .post('/browsers/forget-others', async (c) => {
    const here = c.var.here;
    await forgetOtherBrowsers(c.var.services, here.signedIn, browserClaimOf(c, here.signedIn.account.email), { ip: c.var.ip, userAgent: c.var.userAgent });
    return c.redirect(`/${c.var.site.slug}/account?done=browsers-forgotten`, 303);
  })
  .post('/browsers/:id/forget', async (c) => {
    const here = c.var.here;
    const id = c.req.param('id');
    const forgotten = isUuid(id) ? await forgetBrowser(c.var.services, here.signedIn, id, { ip: c.var.ip, userAgent: c.var.userAgent }) : undefined;
    if (!forgotten?.ok) return errorPage(c, 404, 'Browser not found', 'That browser has already been forgotten, or is not one of yours.');
    return c.redirect(`/${c.var.site.slug}/account?done=browser-forgotten`, 303);
  })
  .post('/sessions/:id/sign-out', async (c) => {
    const here = c.var.here;
    const id = c.req.param('id');
    const ended = isUuid(id) ? await signOutSession(c.var.services, here.signedIn, id, { ip: c.var.ip, userAgent: c.var.userAgent }) : undefined;
    if (!ended?.ok) return errorPage(c, 404, 'Session not found', 'That session has already ended, or is not one of yours.');
    return c.redirect(`/${c.var.site.slug}/account?done=signed-out`, 303);
  });
