// /:site/elevate: "Elevate Your Access" (a basic session passes its second factor), and the
// second half of "Confirm it's you" in a full session (app.tsx: signed in here, before the
// school's two-factor rule; here: ready to elevate).
import { type Context, Hono } from 'hono';
import { elevateSession } from '../../auth/flows/elevate.ts';
import { verifySecondFactor } from '../../auth/flows/second-factor/verify-second-factor.ts';
import { type Refusal, secondFactorAnswer, secondFactorOffers } from '../../auth/second-factors/index.ts';
import type { SignedIn } from '../../auth/sessions.ts';
import { sitePaths } from '../../lib/urls.ts';
import { SESSION_COOKIE, writeCookie } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { readForm } from '../form.ts';
import { requireReadyToElevate } from '../guards/index.ts';
import { safeNext } from '../next-page.ts';
import { refusalMessage, refusalStatus } from '../second-factor-input.ts';
import { ElevatePage } from '../views/elevate-page.tsx';
import type { Chrome } from '../views/layout.tsx';
import { render } from '../views/render.ts';

/**
 * Where elevating returns to: the page it was asked from (a query on the page, a field on its
 * form), or home. Always a page, unlike next-page.ts's nextOf (nothing for home, for forms).
 */
const returnToAfterElevating = (c: Context<AppEnv>) => safeNext(c.var.site.slug, c.req.query('next') ?? c.var.form?.next);

async function page(
  c: Context<AppEnv>,
  here: { signedIn: SignedIn; chrome: Chrome },
  next: string,
  refused?: { error: Refusal; answered: string },
  status: 200 | 401 | 403 | 429 = 200,
) {
  const { signedIn } = here;
  const asking = { accountId: signedIn.account.id, site: signedIn.site, ceremonyOwnerId: signedIn.session.id, ip: c.var.ip, userAgent: c.var.userAgent };
  const { anyDevice, offers } = await secondFactorOffers(c.var.services, asking);
  if (!anyDevice) return c.redirect(sitePaths(signedIn.site.slug).securityKeys, 303);
  return render(
    c,
    <ElevatePage
      chrome={here.chrome}
      confirming={signedIn.session.level === 'full'}
      action={sitePaths(signedIn.site.slug).elevate()}
      csrfToken={c.var.csrfToken}
      offers={offers}
      next={next}
      {...refused}
    />,
    status,
  );
}

export const elevateRoutes = new Hono<AppEnv>()
  .use(requireReadyToElevate(returnToAfterElevating))
  .get('/', (c) => page(c, c.var.here, returnToAfterElevating(c)))
  .post('/', async (c) => {
    const here = c.var.here;
    const { signedIn } = here;
    const form = await readForm(c);
    if (form instanceof Response) return form;
    const next = returnToAfterElevating(c);
    const input = secondFactorAnswer(form);
    const client = { ip: c.var.ip, userAgent: c.var.userAgent };
    const result = await verifySecondFactor(c.var.services, {
      accountId: signedIn.account.id,
      email: signedIn.account.email,
      site: signedIn.site,
      ceremonyOwnerId: signedIn.session.id,
      ...input,
      ...client,
    });
    if (!result.ok) {
      if (result.reason === 'throttled') c.header('Retry-After', String(result.retryAfterSeconds));
      return page(c, here, next, { error: refusalMessage(input.method, result), answered: input.method.id }, refusalStatus(result));
    }
    writeCookie(c, SESSION_COOKIE, await elevateSession(c.var.services, signedIn, result.method, client));
    return c.redirect(next, 303);
  });
