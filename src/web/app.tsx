// The HTTP application: middleware in the order a request meets it, then the routes.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MAX_IMPORT_BYTES } from '../directory/staff-csv.ts';
import { APP_PATH as AUTHENTICATOR_PATH } from './authenticator/manifest.ts';
import type { AppEnv } from './env.ts';
import { requirePermission, requireSignedInHere } from './guards/index.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { requestContext } from './middleware/request-context.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { loadSession } from './middleware/session.ts';
import { signInAdmission } from './middleware/sign-in-admission.ts';
import { loadSite } from './middleware/site.ts';
import { oidcProvider } from './oidc-mount.ts';
import { accountSettingsRoutes } from './routes/account-settings.tsx';
import { IMPORT_BODY_BYTES } from './routes/admin/imports.tsx';
import { adminRoutes } from './routes/admin/index.ts';
import { adminOverviewRoutes } from './routes/admin/overview.tsx';
import { authenticatorRoutes } from './routes/authenticator.tsx';
import { authenticatorApiRoutes } from './routes/authenticator-api.ts';
import { browserScriptRoutes } from './routes/browser-scripts.ts';
import { confirmIdentityRoutes } from './routes/confirm-identity.tsx';
import { dashboardRoutes } from './routes/dashboard.tsx';
import { DEV_MAILBOX_PATH, devMailboxEnabled, devMailboxRoutes } from './routes/dev-mailbox.tsx';
import { elevateRoutes } from './routes/elevate.tsx';
import { healthRoutes } from './routes/health.ts';
import { loginRoutes } from './routes/login.tsx';
import { oidcInteractionRoutes } from './routes/oidc-interaction.tsx';
import { passwordResetRoutes } from './routes/password-reset.tsx';
import { secondStepRoutes } from './routes/second-step.tsx';
import { securityKeyRoutes } from './routes/security-keys.tsx';
import { sessionActionRoutes } from './routes/session-actions.ts';
import { errorPage } from './views/error-page.tsx';
import { LandingPage } from './views/landing-page.tsx';
import { render } from './views/render.ts';
import { unavailablePage } from './views/unavailable-page.tsx';
import type { WebServices } from './web-services.ts';

const stylesheet = ['app.css', 'password.css'].map((f) => readFileSync(new URL(`./static/${f}`, import.meta.url), 'utf8')).join('\n');

/** Forms here are small: 64 KiB is far beyond any of them, and far below harm. */
const MAX_BODY_BYTES = 64 * 1024;
const IMPORT_POSTS = /^\/[^/]+\/admin\/imports\/(?:preview|apply)\/?$/;

export function createApp(services: WebServices) {
  const app = new Hono<AppEnv>({ strict: false });

  app.use(requestContext(services));
  app.use(securityHeaders(services.config.secureCookies));

  // Before the session and CSRF middleware: these need neither, and are asked for often.
  app.get('/static/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(stylesheet, 200, { 'Content-Type': 'text/css; charset=utf-8' });
  });
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.route('/static/js', browserScriptRoutes);
  // The Gatehouse Authenticator's page and files: the same for everyone, no cookie read.
  app.route(AUTHENTICATOR_PATH, authenticatorRoutes);
  app.route('/healthz', healthRoutes);
  // The OpenID Connect provider's endpoints: it parses, authenticates and protects its own (web/oidc-mount.ts).
  app.use(oidcProvider());
  const formLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => errorPage(c as never, 413, 'Too much data', 'That form sent far more than any Gatehouse form needs.'),
  });
  // Admin > Imports takes a staff file: its two POSTs, and only they, may send that much.
  const importLimit = bodyLimit({
    maxSize: IMPORT_BODY_BYTES,
    onError: (c) =>
      errorPage(
        c as never,
        413,
        'File too large',
        `A staff file can be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB: no staff list is that long. Check it is the right file, or split it.`,
      ),
  });
  app.use((c, next) => (c.req.method === 'POST' && IMPORT_POSTS.test(c.req.path) ? importLimit(c, next) : formLimit(c, next)));
  app.use(csrfProtection());
  // Before the session: no cookie authenticates the Gatehouse Authenticator's calls.
  app.route('/authenticator/api', authenticatorApiRoutes);
  // Before the session, the site and the account are read: a refused sign-in costs no database
  // work (most are refused earlier still, at the front door: see front-door.ts).
  app.post('/:site/login', signInAdmission());
  app.use(loadSession());

  app.get('/', (c) => render(c, <LandingPage csrfToken={c.var.csrfToken} />));
  if (devMailboxEnabled(services.config)) app.route(DEV_MAILBOX_PATH, devMailboxRoutes);
  // A school system's sign-in waiting at Gatehouse's pages (decided with auth/access.ts there).
  app.route('/oidc/interaction', oidcInteractionRoutes);

  // A school's pages, each declaring what it needs (web/guards/; the rules: auth/access.ts).
  const site = new Hono<AppEnv>();
  site.use(loadSite());
  // Public: signing in (its second step needs a pending sign-in, not a session), password links, signing out.
  site.route('/login/second-step', secondStepRoutes);
  site.route('/login', loginRoutes);
  site.route('/password', passwordResetRoutes);
  site.route('/', sessionActionRoutes);
  // The person's own account and elevation: open to a basic session even where the school
  // requires two-factor, since this is where they get it.
  site.use('/elevate/*', requireSignedInHere({ beforeTwoFactor: true }));
  site.route('/elevate', elevateRoutes);
  site.use('/account/*', requireSignedInHere({ beforeTwoFactor: true }));
  site.route('/account/security-keys', securityKeyRoutes);
  site.route('/account/confirm', confirmIdentityRoutes);
  site.route('/account', accountSettingsRoutes);
  // The Overview is for the school's DSL too: before the Admin area's guard, with guards of its own (overview.tsx).
  site.route('/admin/overview', adminOverviewRoutes);
  site.use('/admin/*', requireSignedInHere(), requirePermission('admin', 'Your group at this school does not include the Admin area.'));
  site.route('/admin', adminRoutes);
  site.route('/', dashboardRoutes);
  app.route('/:site', site);

  app.notFound((c) => errorPage(c as never, 404, 'Page not found', 'There is nothing at this address.'));
  app.onError((err, c) => {
    // The database away: logged once for the outage (db/availability.ts), and a 503 to come back to.
    if (services.database.failed(err)) return unavailablePage(c as never);
    services.metrics.databaseErrors.inc({ kind: 'other' });
    (c.get('log') ?? services.log).error({ err }, 'unhandled error');
    return errorPage(c as never, 500, 'Something went wrong', 'Gatehouse could not finish that. Nothing you entered was lost: go back and try again.');
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
