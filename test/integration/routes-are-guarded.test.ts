// Every route the app serves either declares what it needs (a guard from web/guards/, whose
// rules are in auth/access.ts) or is on the short list of public routes below. A new route
// that forgets its guard fails here, before anyone can reach it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/web/app.tsx';
import { GUARD, isGuard } from '../../src/web/guards/index.ts';
import { Client } from '../support/client.ts';
import { seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

/** Open to anyone: each says why. */
const PUBLIC_ROUTES = new Map([
  ['GET /', "the service's own page: where to find your school's sign-in page"],
  ['GET /static/app.css', 'the stylesheet'],
  ['GET /favicon.ico', 'an empty icon'],
  ['GET /static/js/:name', 'the few browser scripts (WebAuthn, the strength meter)'],
  ['GET /authenticator', 'the Gatehouse Authenticator: one page for everyone, the accounts live on the phone'],
  ['GET /authenticator/manifest.webmanifest', "the Authenticator's web app manifest"],
  ['GET /authenticator/app.css', "the Authenticator's stylesheet"],
  ['GET /authenticator/sw.js', "the Authenticator's service worker"],
  ['GET /authenticator/:icon{icon-[0-9]+\\.png}', "the Authenticator's icons"],
  ['GET /healthz', 'for load balancers: the database answers'],
  ['GET /healthz/live', 'for orchestrators: the process is up (no database work)'],
  ['GET /healthz/ready', 'for load balancers: the database answers, migrated, and the instance is not shutting down'],
  ['GET /_dev/mail', 'the dev mailbox (development only, never with SMTP_URL or in production)'],
  ['GET /_dev/mail/:id{[0-9]{1,15}}', 'the dev mailbox'],
  ['GET /_dev/mail/:id{[0-9]{1,15}}/html', 'the dev mailbox'],
  ['GET /:site/login', 'the sign-in page'],
  ['POST /:site/login', 'signing in'],
  ['GET /:site/login/second-step', 'needs a pending sign-in (the password was right), not a session'],
  ['POST /:site/login/second-step', 'the same'],
  ['GET /:site/password/forgotten', '"Forgotten your password…"'],
  ['POST /:site/password/forgotten', 'asking for a link'],
  ['GET /:site/password/reset', 'the emailed link (its token is the proof)'],
  ['POST /:site/password/reset', 'choosing a password with it'],
  ['POST /:site/logout', 'signing out works whether or not the session is still there'],
  ['GET /oidc/interaction/:uid', "a school system's sign-in: the provider's cookie binds it to the browser; oidc/interaction.ts decides with auth/access.ts"],
  ['POST /oidc/interaction/:uid/abandon', 'giving up that sign-in: the system is told'],
  // The Gatehouse Authenticator's API: no cookie; its own authority in each call.
  ['GET /authenticator/api/push-key', 'the VAPID public key the app subscribes with'],
  ['POST /authenticator/api/devices', 'registering: the single-use enrolment token is the proof'],
  ['POST /authenticator/api/requests', 'a JWS signed by the device key'],
  ['POST /authenticator/api/answer', 'a JWS signed by the device key'],
  ['POST /authenticator/api/subscription', 'a JWS signed by the device key'],
  ['POST /authenticator/api/remove', 'a JWS signed by the device key: the device removes itself'],
  ['GET /authenticator/api/events', 'a JWS signed by the device key'],
  ['GET /authenticator/api/sign-in-requests/:id/events', "the waiting page's stream: a random id, and only the request's status"],
  ['GET /authenticator/api/sign-in-requests/:id', 'the same, asked once'],
]);

interface Route {
  method: string;
  path: string;
  handler: unknown;
}

/** Whether a middleware registered for `pattern` (Hono's "/x/*" or an exact path) runs for `path`. */
function covers(pattern: string, path: string): boolean {
  const segments = (p: string) => p.split('/').filter(Boolean);
  const wildcard = pattern.endsWith('/*');
  const want = segments(wildcard ? pattern.slice(0, -2) : pattern);
  const have = segments(path);
  if (wildcard ? have.length < want.length : have.length !== want.length) return false;
  return want.every((segment, i) => segment === have[i] || segment.startsWith(':') || have[i]!.startsWith(':'));
}

/** Each endpoint (method and path) with the names of the guards in front of it. */
function endpoints(routes: readonly Route[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  routes.forEach((route, i) => {
    if (route.method === 'ALL') return;
    const key = `${route.method} ${route.path}`;
    const guards = found.get(key) ?? [];
    for (const before of routes.slice(0, i)) {
      const applies = before.method === 'ALL' ? covers(before.path, route.path) : before.method === route.method && before.path === route.path;
      if (applies && isGuard(before.handler)) guards.push(before.handler[GUARD]);
    }
    found.set(key, guards);
  });
  return found;
}

describe('every route is guarded or public', () => {
  let g: TestGatehouse;
  beforeAll(async () => {
    g = await startTestGatehouse('embedded');
    await seedSchools(g);
  });
  afterAll(() => g.close());

  it('finds a guard in front of every route that is not on the list of public routes', () => {
    const all = endpoints(createApp(g.services).routes as Route[]);
    const unguarded = [...all].filter(([key, guards]) => guards.length === 0 && !PUBLIC_ROUTES.has(key)).map(([key]) => key);
    expect(unguarded).toEqual([]);
    // The list stays true: every public route exists, and none of them is guarded after all.
    for (const key of PUBLIC_ROUTES.keys()) expect(all.get(key), key).toEqual([]);
    // And the walk is not vacuous: it sees the guarded routes too.
    expect(all.get('GET /:site/admin/users')!.length).toBeGreaterThanOrEqual(2);
    expect([...all.values()].filter((guards) => guards.length > 0).length).toBeGreaterThan(30);
  });

  it('sends a stranger from every guarded route to the sign-in page, and changes nothing', async () => {
    const all = endpoints(createApp(g.services).routes as Route[]);
    const stranger = new Client(g.url);
    await stranger.get('/north/login'); // for a CSRF token: a guard, not the CSRF check, must refuse
    for (const [key, guards] of all) {
      if (guards.length === 0 || !key.includes(':site')) continue;
      const [method, pattern] = key.split(' ') as [string, string];
      const path = pattern.replace(':site', 'north').replace(/:[a-z]+(\{[^}]*\})?/gi, '00000000-0000-4000-8000-000000000000');
      const res = method === 'GET' ? await stranger.get(path) : await stranger.post(path, {});
      // A page asked for is where signing in comes back to (a form's, the page it was on, if any).
      const login = method === 'GET' && path.startsWith('/north/') && path !== '/north/' ? `/north/login?next=${encodeURIComponent(path)}` : '/north/login';
      const location = method === 'GET' ? res.location : res.location?.replace(/\?next=%2Fnorth%2F[^&]*$/, '');
      expect({ key, status: res.status, location }).toEqual({ key, status: 303, location: login });
    }
  });
});
