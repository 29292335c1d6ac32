// /:site/account: the person's own account, their sessions and their security log.
import { Hono } from 'hono';
import { changePassword, changePasswordPolicy } from '../../auth/flows/change-password.ts';
import { forgetBrowser, forgetOtherBrowsers } from '../../auth/flows/forget-browsers.ts';
import { signOutOtherSessions, signOutSession } from '../../auth/flows/sign-out.ts';
import { listKnownBrowsers } from '../../auth/known-browsers.ts';
import { HashingBusy } from '../../auth/methods/password/index.ts';
import type { PolicyContext } from '../../auth/methods/password/policy.ts';
import { listActiveSessions } from '../../auth/sessions.ts';
import { isUuid } from '../../lib/is-uuid.ts';
import { sitePaths } from '../../lib/urls.ts';
import { readSecurityLog } from '../../security-log/security-events.ts';
import { SESSION_COOKIE, writeCookie } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { browserClaimOf } from '../known-browser.ts';
import { AccountPage, SecurityLogView } from '../views/account-settings-page.tsx';
import { ChangePasswordPage, CURRENT_PASSWORD_FIELD } from '../views/change-password-page.tsx';
import { errorPage } from '../views/error-page.tsx';
import { CONFIRM_PASSWORD_FIELD, NEW_PASSWORD_FIELD } from '../views/password-fields.tsx';
import { render } from '../views/render.ts';
import { busyHashing } from './busy.ts';

const NOTICES: Record<string, string> = {
  'signed-out': 'That session has been signed out.',
  'signed-out-others': 'All your other sessions have been signed out.',
  'browser-forgotten': 'That browser has been forgotten.',
  'browsers-forgotten': 'All your other browsers have been forgotten.',
  'password-changed': 'Your password has been changed. Every other session has been signed out, and we have emailed you to say so.',
};

/** One message for a wrong current password, whatever was wrong with it. */
export const WRONG_CURRENT_PASSWORD = 'That is not your current password. Type the password you signed in with.';

export const accountSettingsRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const here = c.var.here;
    const { db, config } = c.var.services;
    const sessions = await listActiveSessions(db, here.signedIn.account.id, config.sessionDefaults);
    const browsers = await listKnownBrowsers(db, here.signedIn.account.id, browserClaimOf(c, here.signedIn.account.email));
    const notice = NOTICES[c.req.query('done') ?? ''];
    return render(c, <AccountPage chrome={here.chrome} signedIn={here.signedIn} sessions={sessions} browsers={browsers} {...(notice ? { notice } : {})} />);
  })
  .get('/password', async (c) => {
    const here = c.var.here;
    const context = await changePasswordPolicy(c.var.services, here.signedIn);
    const paths = sitePaths(c.var.site.slug);
    return render(c, <ChangePasswordPage chrome={here.chrome} base={`/${c.var.site.slug}`} action={paths.changePassword} context={context} />);
  })
  .post('/password', async (c) => {
    const here = c.var.here;
    const { services } = c.var;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const paths = sitePaths(c.var.site.slug);
    // Refused: the page again with the rules the flow read (the person's names are not looked up twice).
    const page = (status: 401 | 400 | 429, context: PolicyContext, errors: Pick<Parameters<typeof ChangePasswordPage>[0], 'currentError' | 'problems'>) =>
      render(c, <ChangePasswordPage chrome={here.chrome} base={`/${c.var.site.slug}`} action={paths.changePassword} context={context} {...errors} />, status);
    let result: Awaited<ReturnType<typeof changePassword>>;
    try {
      result = await changePassword(
        services,
        here.signedIn,
        {
          current: (form[CURRENT_PASSWORD_FIELD] ?? '').slice(0, 1024),
          password: form[NEW_PASSWORD_FIELD] ?? '',
          confirmation: form[CONFIRM_PASSWORD_FIELD] ?? '',
        },
        { ip: c.var.ip, userAgent: c.var.userAgent, browser: browserClaimOf(c, here.signedIn.account.email) },
      );
    } catch (err) {
      if (err instanceof HashingBusy) return busyHashing(c, err);
      throw err;
    }
    switch (result.outcome) {
      case 'throttled': {
        const minutes = Math.ceil(result.retryAfterSeconds / 60);
        c.header('Retry-After', String(result.retryAfterSeconds));
        return page(429, result.rules, { currentError: `Too many wrong passwords. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.` });
      }
      case 'wrong_password':
        return page(401, result.rules, { currentError: WRONG_CURRENT_PASSWORD });
      case 'rejected':
        return page(400, result.rules, { problems: result.problems });
      case 'changed':
        writeCookie(c, SESSION_COOKIE, result.token);
        return c.redirect(`${paths.account}?done=password-changed`, 303);
    }
  })
  .get('/security-log', async (c) => {
    const here = c.var.here;
    const page = Number.parseInt(c.req.query('page') ?? '1', 10);
    const log = await readSecurityLog(c.var.services.db, here.signedIn.account.id, Number.isFinite(page) ? page : 1);
    return render(
      c,
      <SecurityLogView chrome={here.chrome} signedIn={here.signedIn} log={log} placeAttribution={c.var.services.authenticator.places.attribution} />,
    );
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
