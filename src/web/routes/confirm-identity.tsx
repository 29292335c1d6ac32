// /:site/account/confirm: the password again, before changes to two-factor devices.
import { Hono } from 'hono';
import { confirmPassword } from '../../auth/flows/confirm-identity.ts';
import { HashingBusy } from '../../auth/methods/password/index.ts';
import { sitePaths } from '../../lib/urls.ts';
import { SESSION_COOKIE, writeCookie } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { browserClaimOf } from '../known-browser.ts';
import { safeNext } from '../next-page.ts';
import { ConfirmIdentityPage } from '../views/confirm-identity-page.tsx';
import { errorPage } from '../views/error-page.tsx';
import { render } from '../views/render.ts';
import { busyHashing } from './busy.ts';

export const confirmIdentityRoutes = new Hono<AppEnv>()
  .get('/', (c) => {
    const paths = sitePaths(c.var.site.slug);
    const next = safeNext(c.var.site.slug, c.req.query('next'), paths.securityKeys);
    return render(c, <ConfirmIdentityPage chrome={c.var.here.chrome} action={paths.confirmIdentity()} next={next} />);
  })
  .post('/', async (c) => {
    const here = c.var.here;
    const { services } = c.var;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const paths = sitePaths(c.var.site.slug);
    const next = safeNext(c.var.site.slug, form.next, paths.securityKeys);
    let result: Awaited<ReturnType<typeof confirmPassword>>;
    try {
      result = await confirmPassword(services, here.signedIn, (form.password ?? '').slice(0, 1024), {
        ip: c.var.ip,
        userAgent: c.var.userAgent,
        browser: browserClaimOf(c, here.signedIn.account.email),
      });
    } catch (err) {
      if (err instanceof HashingBusy) return busyHashing(c, err);
      throw err;
    }
    switch (result.outcome) {
      case 'throttled':
        return errorPage(c, 429, 'Too many attempts', `Please wait ${Math.ceil(result.retryAfterSeconds / 60)} minutes and try again.`, {
          'Retry-After': String(result.retryAfterSeconds),
        });
      case 'wrong_password':
        return render(c, <ConfirmIdentityPage chrome={here.chrome} action={paths.confirmIdentity()} next={next} error="That password was not right." />, 401);
      case 'second_factor_next':
        return c.redirect(paths.elevate(next), 303);
      case 'confirmed':
        writeCookie(c, SESSION_COOKIE, result.token);
        return c.redirect(next, 303);
    }
  });
