// /:site/login/second-step: the second factor after a right password.
import { type Context, Hono } from 'hono';
import { verifySecondFactor } from '../../auth/flows/second-factor/verify-second-factor.ts';
import { completeSecondStep } from '../../auth/flows/sign-in/index.ts';
import { endingPendingSignIn, findPendingSignIn, type PendingSignIn } from '../../auth/flows/sign-in/pending-sign-in.ts';
import { type Refusal, secondFactorAnswer, secondFactorOffers } from '../../auth/second-factors/index.ts';
import { sitePaths } from '../../lib/urls.ts';
import { clearCookie, PENDING_SIGN_IN_COOKIE, readCookie, replaceSession } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { browserClaimOf, rememberThisBrowser } from '../known-browser.ts';
import { nextOf } from '../next-page.ts';
import { refusalMessage, refusalStatus } from '../second-factor-input.ts';
import { render } from '../views/render.ts';
import { SecondStepPage } from '../views/second-step-page.tsx';

async function page(
  c: Context<AppEnv>,
  pending: PendingSignIn,
  next: string | undefined,
  refused?: { error: Refusal; answered: string },
  status: 200 | 401 | 403 | 429 = 200,
) {
  const site = c.var.site;
  const asking = { accountId: pending.accountId, site, ceremonyOwnerId: pending.id, ip: c.var.ip, userAgent: c.var.userAgent };
  const { offers } = await secondFactorOffers(c.var.services, asking);
  const action = `/${site.slug}/login/second-step`;
  return render(
    c,
    <SecondStepPage siteName={site.name} siteSlug={site.slug} action={action} csrfToken={c.var.csrfToken} offers={offers} next={next} {...refused} />,
    status,
  );
}

export const secondStepRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const pending = await findPendingSignIn(c.var.services.db, readCookie(c, PENDING_SIGN_IN_COOKIE), c.var.site.id);
    if (!pending) return c.redirect(sitePaths(c.var.site.slug).login, 303);
    return page(c, pending, nextOf(c, c.req.query('next')));
  })
  .post('/', async (c) => {
    const { services } = c.var;
    const site = c.var.site;
    const pending = await findPendingSignIn(services.db, readCookie(c, PENDING_SIGN_IN_COOKIE), site.id);
    if (!pending) return c.redirect(sitePaths(site.slug).login, 303);
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const input = secondFactorAnswer(form);
    const next = nextOf(c, form.next);
    const client = { ip: c.var.ip, userAgent: c.var.userAgent };
    const attempt = { accountId: pending.accountId, email: pending.email, site, ceremonyOwnerId: pending.id, ...input, ...client };
    // A pass ends the pending sign-in in its own statement: one round trip fewer before the session.
    const result = await verifySecondFactor(services, attempt, endingPendingSignIn(services.db, pending.id));
    if (!result.ok) {
      if (result.reason === 'throttled') c.header('Retry-After', String(result.retryAfterSeconds));
      return page(c, pending, next, { error: refusalMessage(input.method, result), answered: input.method.id }, refusalStatus(result));
    }
    const signedIn = await completeSecondStep(services, pending, result, { ...client, browser: browserClaimOf(c, pending.email) });
    clearCookie(c, PENDING_SIGN_IN_COOKIE);
    if (!signedIn) return c.redirect(sitePaths(site.slug).login, 303);
    rememberThisBrowser(c, signedIn.browserToken, pending.email);
    await replaceSession(c, signedIn.token);
    return c.redirect(next ?? `/${site.slug}/`, 303);
  });
