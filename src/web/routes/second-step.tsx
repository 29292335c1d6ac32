// /:site/login/second-step: the second factor after a right password.
import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { completeSignIn } from '../../auth/flows/sign-in/index.ts';
import { findPendingSignIn, type PendingSignIn } from '../../auth/flows/second-factor/pending-sign-in.ts';
import { secondFactorsOf } from '../../auth/flows/second-factor/second-factors-of.ts';
import { verifySecondFactor } from '../../auth/flows/second-factor/verify-second-factor.ts';
import { relyingParty, startKeyAuthentication } from '../../auth/methods/webauthn/index.ts';
import { account } from '../../db/schema.ts';
import { PENDING_SIGN_IN_COOKIE, clearCookie, readCookie, replaceSession } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { browserClaimOf, rememberThisBrowser } from '../known-browser.ts';
import { readSecondFactorForm, refusalMessage, refusalStatus } from '../second-factor-input.ts';
import { render } from '../views/render.ts';
import { SecondStepPage } from '../views/two-factor-pages.tsx';
import { sitePaths } from '../../lib/urls.ts';

async function page(c: Context<AppEnv>, pending: PendingSignIn, error?: string, showRecovery = false, status: 200 | 401 | 403 | 429 = 200) {
  const { db, keys, config } = c.var.services;
  const site = c.var.site;
  const factors = await secondFactorsOf(db, pending.accountId);
  const webauthnOptions = factors.securityKey
    ? JSON.stringify(await startKeyAuthentication(db, keys.encryption, { ownerId: pending.id, accountId: pending.accountId, rp: relyingParty(config.publicUrl) }))
    : undefined;
  const action = sitePaths(site.slug).secondStep;
  return render(
    c,
    <SecondStepPage siteName={site.name} siteSlug={site.slug} action={action} csrfToken={c.var.csrfToken} factors={factors} webauthnOptions={webauthnOptions} error={error} showRecovery={showRecovery} />,
    status,
  );
}

export const secondStepRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const pending = await findPendingSignIn(c.var.services.db, readCookie(c, PENDING_SIGN_IN_COOKIE), c.var.site.id);
    if (!pending) return c.redirect(sitePaths(c.var.site.slug).login, 303);
    return page(c, pending);
  })
  .post('/', async (c) => {
    const { services } = c.var;
    const site = c.var.site;
    const pending = await findPendingSignIn(services.db, readCookie(c, PENDING_SIGN_IN_COOKIE), site.id);
    if (!pending) return c.redirect(sitePaths(site.slug).login, 303);
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const input = readSecondFactorForm(form);
    const [owner] = await services.db.select({ email: account.email }).from(account).where(eq(account.id, pending.accountId));
    const client = { ip: c.var.ip, userAgent: c.var.userAgent };
    const result = await verifySecondFactor(services, { accountId: pending.accountId, email: owner!.email, site, ceremonyOwnerId: pending.id, ...input, ...client });
    if (!result.ok) {
      if (result.reason === 'throttled') c.header('Retry-After', String(result.retryAfterSeconds));
      return page(c, pending, refusalMessage(input.method, result), input.method === 'recovery_code', refusalStatus(result));
    }
    const signedIn = await completeSignIn(services, pending, result.method, { ...client, browser: browserClaimOf(c, owner!.email) });
    clearCookie(c, PENDING_SIGN_IN_COOKIE);
    if (!signedIn) return c.redirect(sitePaths(site.slug).login, 303);
    rememberThisBrowser(c, signedIn.browserToken, owner!.email);
    await replaceSession(c, signedIn.token);
    return c.redirect(`/${site.slug}/`, 303);
  });
