// GET and POST /:site/login: the school's own sign-in page.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type Provider, type SignInResult, signIn } from '../../auth/flows/sign-in/index.ts';
import { HashingBusy } from '../../auth/methods/password/index.ts';
import { MAX_PASSWORD_LENGTH } from '../../auth/methods/password/policy.ts';
import { MAX_EMAIL_LENGTH, normaliseEmail } from '../../directory/email-address.ts';
import { sitePaths } from '../../lib/urls.ts';
import { PENDING_SIGN_IN_COOKIE, readSitePreference, replaceSession, writeCookie, writeSitePreference } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { browserClaimOf, rememberThisBrowser } from '../known-browser.ts';
import { nextOf } from '../next-page.ts';
import { takeTimedOutNotice } from '../signed-out-notice.ts';
import { errorPage } from '../views/error-page.tsx';
import { LoginPage, type LoginPageProps, SIGN_IN_FAILED } from '../views/login-page.tsx';
import { render } from '../views/render.ts';

const PROVIDER_COOKIE = 'gatehouse_provider';

const provider = z.enum(['identity', 'sso']);

const credentials = z.object({
  email: z
    .string({ error: 'Enter your email address and password' })
    .trim()
    .min(1, 'Enter your email address and password')
    .max(MAX_EMAIL_LENGTH, `An email address has at most ${MAX_EMAIL_LENGTH} characters`),
  password: z
    .string({ error: 'Enter your email address and password' })
    .min(1, 'Enter your email address and password')
    .max(MAX_PASSWORD_LENGTH, `A password has at most ${MAX_PASSWORD_LENGTH} characters`),
  provider: provider.catch('identity'),
});

/** Which page the browser sees: the remembered choice, the Identity page by default, SSO only where it exists. */
function loginPageFor(c: Context<AppEnv>, requested: string | undefined, next: string | undefined): Omit<LoginPageProps, 'csrfToken'> {
  const site = c.var.site;
  const showSwitch = site.hasSsoUsers && site.settings.showSsoSwitch !== false;
  const choice = provider.safeParse(requested ?? readSitePreference(c, PROVIDER_COOKIE));
  const chosen = site.hasSsoUsers && choice.success ? choice.data : 'identity';
  return { site, showSwitch, provider: chosen, publicUrl: c.var.services.config.publicUrl.origin, ...(next ? { next } : {}) };
}

export const loginRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const site = c.var.site;
    const next = nextOf(c, c.req.query('next'));
    if (c.var.signedIn?.site.id === site.id) return c.redirect(next ?? `/${site.slug}/`, 303);
    const requested = c.req.query('provider');
    const page = loginPageFor(c, requested, next);
    if (requested && page.showSwitch && requested === page.provider) writeSitePreference(c, site.slug, PROVIDER_COOKIE, page.provider);
    const notice = c.req.query('password') === 'changed' ? 'Your password has been set. You can now log in with it.' : takeTimedOutNotice(c, site.slug);
    return render(c, <LoginPage {...page} csrfToken={c.var.csrfToken} {...(notice ? { notice } : {})} />);
  })
  .post('/', async (c) => {
    const { services } = c.var;
    const site = c.var.site;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const next = nextOf(c, form.next);
    const page = loginPageFor(c, form.provider, next);
    const input = credentials.safeParse(form);
    if (!input.success) {
      const message = input.error.issues[0]!.message;
      return render(c, <LoginPage {...page} csrfToken={c.var.csrfToken} email={form.email?.slice(0, MAX_EMAIL_LENGTH)} error={message} />, 400);
    }
    const email = normaliseEmail(input.data.email);

    let result: SignInResult;
    try {
      result = await signIn(services, {
        site,
        email,
        password: input.data.password,
        provider: page.provider as Provider,
        ip: c.var.ip,
        userAgent: c.var.userAgent,
        browser: browserClaimOf(c, email),
      });
    } catch (err) {
      if (err instanceof HashingBusy) {
        return errorPage(c, 503, 'Gatehouse is very busy', 'Too many people are signing in at this moment. Please try again in a few seconds.', {
          'Retry-After': String(err.retryAfterSeconds),
        });
      }
      throw err;
    }

    if (result.outcome === 'throttled') {
      const minutes = Math.ceil(result.retryAfterSeconds / 60);
      c.header('Retry-After', String(result.retryAfterSeconds));
      const error = `Too many attempts to sign in. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
      return render(c, <LoginPage {...page} csrfToken={c.var.csrfToken} email={input.data.email} error={error} />, 429);
    }
    if (result.outcome === 'failed') {
      return render(c, <LoginPage {...page} csrfToken={c.var.csrfToken} email={input.data.email} error={SIGN_IN_FAILED} />, 401);
    }

    if (page.showSwitch) writeSitePreference(c, site.slug, PROVIDER_COOKIE, page.provider);
    if (result.outcome === 'second_factor_needed') {
      writeCookie(c, PENDING_SIGN_IN_COOKIE, result.pendingToken);
      return c.redirect(sitePaths(site.slug).secondStep(next), 303);
    }
    // Signed in: this browser is now known to the account (auth/known-browsers.ts).
    rememberThisBrowser(c, result.browserToken, email);
    await replaceSession(c, result.token);
    return c.redirect(next ?? `/${site.slug}/`, 303);
  });
