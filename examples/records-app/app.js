// Records: a small school system that signs its staff in through Gatehouse (OpenID Connect, the
// code flow with PKCE, through openid-client), as a worked example of plugging a system in.
// Anyone signed in may add an incident; the list of incidents needs full access (a second
// factor), so a person signed in with a password only is sent back to Gatehouse with
// acr_values=urn:gatehouse:acr:full, which asks for their code before the list is shown.
// Gatehouse's back-channel logout ends the local session; Sign out uses RP-initiated logout.
// Everything lives in memory: restart it and every session and incident is gone.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';

export const ACR_FULL = 'urn:gatehouse:acr:full';
export const ACR_BASIC = 'urn:gatehouse:acr:basic';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const SESSION_COOKIE = 'records_session';
const LOGIN_COOKIE = 'records_login';
const LOGIN_MINUTES = 10;

const escapeHtml = (value) => String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
const token = () => randomBytes(32).toString('base64url');

function sameText(a, b) {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookies(req) {
  return Object.fromEntries(
    (req.headers.cookie ?? '')
      .split(';')
      .map((part) => part.trim().split('='))
      .filter(([name, value]) => name && value !== undefined)
      .map(([name, ...value]) => [name, decodeURIComponent(value.join('='))]),
  );
}

function page(title, body) {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · Records</title></head>
<body>
<header><p><strong>Records</strong>, signed in through Gatehouse</p></header>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

async function readBody(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('too large');
  }
  return new URLSearchParams(body);
}

/**
 * Starts Records: discovers Gatehouse at `issuer`, then listens on `port` (0: any free port).
 * `redirectUri` defaults to this server's /callback. `postLogoutRedirectUri`, when registered
 * with Gatehouse as a sign-out return address, is where Gatehouse sends people after Sign out.
 * Returns its address and a close().
 */
export async function startRecordsApp(options) {
  const { issuer, clientId, clientSecret, host = '127.0.0.1' } = options;
  const issuerUrl = new URL(issuer);
  // Plain http only for a Gatehouse on this machine (development, tests).
  const insecure = issuerUrl.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined;
  const config = await oidc.discovery(issuerUrl, clientId, undefined, oidc.ClientSecretBasic(clientSecret), insecure);
  const provider = config.serverMetadata();
  const keys = createRemoteJWKSet(new URL(provider.jwks_uri));

  /** Browser sessions by their cookie: who signed in, from which Gatehouse session, at which level. */
  const sessions = new Map();
  /** Sign-ins on their way through Gatehouse, by the state sent with them. */
  const logins = new Map();
  const incidents = [];
  const usedLogoutTokens = new Set();

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) send(res, 500, page('Something went wrong', '<p>Try again.</p>'));
    });
  });
  await new Promise((resolve) => server.listen(options.port ?? 0, host, resolve));
  const origin = `http://${host}:${server.address().port}`;
  const redirectUri = options.redirectUri ?? `${origin}/callback`;

  function send(res, status, html, headers = {}) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(html);
  }

  const redirect = (res, location, headers = {}) => {
    res.writeHead(303, { location, 'cache-control': 'no-store', ...headers });
    res.end();
  };

  const cookie = (name, value, maxAge) => `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`;

  function sessionOf(req) {
    const id = cookies(req)[SESSION_COOKIE];
    return id ? sessions.get(id) : undefined;
  }

  /** Off to Gatehouse, with PKCE, a state bound to this browser, and a nonce; `full` asks for full access. */
  async function signIn(res, { returnTo, full }) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    logins.set(state, { verifier, nonce, returnTo, full, expires: Date.now() + LOGIN_MINUTES * 60_000 });
    const params = {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    if (full) params.acr_values = ACR_FULL;
    redirect(res, oidc.buildAuthorizationUrl(config, params).href, { 'set-cookie': cookie(LOGIN_COOKIE, state, LOGIN_MINUTES * 60) });
  }

  async function callback(req, res, url) {
    const state = url.searchParams.get('state') ?? '';
    const login = logins.get(state);
    logins.delete(state);
    // The state must be the one this browser was sent with: no one else's sign-in lands here.
    if (!login || login.expires < Date.now() || !sameText(cookies(req)[LOGIN_COOKIE] ?? '', state)) {
      return send(res, 400, page('Sign-in expired', '<p>That sign-in is not this browser\'s, or took too long.</p><p><a href="/login">Sign in again</a></p>'));
    }
    const error = url.searchParams.get('error');
    if (error) {
      const why =
        error === 'unmet_authentication_requirements'
          ? 'The incident list needs full access: sign in with your second factor (add a device in Gatehouse if you have none).'
          : error === 'access_denied'
            ? 'Gatehouse did not sign you in to Records (you may not be a member of its school).'
            : `Gatehouse answered: ${error}.`;
      return send(res, 403, page('Not signed in', `<p>${escapeHtml(why)}</p><p><a href="/">Back to Records</a></p>`));
    }
    const tokens = await oidc.authorizationCodeGrant(config, new URL(req.url, redirectUri), {
      pkceCodeVerifier: login.verifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (login.full && claims.acr !== ACR_FULL) {
      return send(res, 403, page('Full access needed', '<p>Gatehouse did not give full access.</p><p><a href="/">Back to Records</a></p>'));
    }
    // A new session for each sign-in (a step up to full access too); the one before ends.
    const before = cookies(req)[SESSION_COOKIE];
    if (before) sessions.delete(before);
    const id = token();
    sessions.set(id, { id, claims, idToken: tokens.id_token, csrf: token() });
    redirect(res, login.returnTo ?? '/', { 'set-cookie': [cookie(SESSION_COOKIE, id, 8 * 3600), cookie(LOGIN_COOKIE, '', 0)] });
  }

  /** A logout token from Gatehouse: checked (signature, issuer, audience, event, no nonce), then its sessions end. */
  async function backchannelLogout(req, res) {
    const body = await readBody(req);
    try {
      const { payload } = await jwtVerify(body.get('logout_token') ?? '', keys, { issuer: provider.issuer, audience: clientId, maxTokenAge: '5m' });
      const valid = typeof payload.events?.[BACKCHANNEL_EVENT] === 'object' && payload.nonce === undefined && (payload.sid || payload.sub);
      if (!valid || !payload.jti || usedLogoutTokens.has(payload.jti)) throw new Error('not a logout token');
      usedLogoutTokens.add(payload.jti);
      for (const [id, session] of sessions) {
        const same = payload.sid ? session.claims.sid === payload.sid : session.claims.sub === payload.sub;
        if (same) sessions.delete(id);
      }
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    } catch (err) {
      if (process.env.RECORDS_DEBUG) console.error('records-app: refused a logout token:', err);
      res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"error":"invalid_request"}');
    }
  }

  function home(res, session, notice) {
    if (!session) {
      return send(
        res,
        200,
        page('Records', '<p>Sign in with your school account to record and read incidents.</p><p><a href="/login">Sign in with Gatehouse</a></p>'),
      );
    }
    const { claims } = session;
    const full = claims.acr === ACR_FULL;
    send(
      res,
      200,
      page(
        'Records',
        `${notice ? `<p role="status">${escapeHtml(notice)}</p>` : ''}
<dl>
<dt>Signed in as</dt><dd>${escapeHtml(claims.name)} (${escapeHtml(claims.email)})</dd>
<dt>School</dt><dd>${escapeHtml(claims.site?.name)}</dd>
<dt>Group</dt><dd>${escapeHtml(claims.group)}</dd>
<dt>Access level</dt><dd>${full ? 'Full access' : 'Basic access'}</dd>
</dl>
<nav aria-label="Records"><ul>
<li><a href="/incidents/new">Add Incident</a></li>
<li><a href="/incidents">Incidents</a>${full ? '' : ' (asks for your second factor)'}</li>
</ul></nav>
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${session.csrf}"><button type="submit">Sign out</button></form>`,
      ),
    );
  }

  function incidentForm(res, session) {
    send(
      res,
      200,
      page(
        'Add Incident',
        `<form method="post" action="/incidents">
<input type="hidden" name="csrf" value="${session.csrf}">
<p><label for="student">Student</label><br><input id="student" name="student" required maxlength="200"></p>
<p><label for="what">What happened</label><br><textarea id="what" name="what" required maxlength="5000" rows="5"></textarea></p>
<p><button type="submit">Save the incident</button> <a href="/">Cancel</a></p>
</form>`,
      ),
    );
  }

  function incidentList(res) {
    const rows = incidents
      .map(
        (i) =>
          `<tr><td>${escapeHtml(i.at.toISOString().slice(0, 16).replace('T', ' '))}</td><td>${escapeHtml(i.student)}</td><td>${escapeHtml(i.what)}</td><td>${escapeHtml(i.by)}</td></tr>`,
      )
      .join('\n');
    const table = `<table><caption>Incidents, newest first</caption><thead><tr><th scope="col">When (UTC)</th><th scope="col">Student</th><th scope="col">What happened</th><th scope="col">Recorded by</th></tr></thead><tbody>${rows}</tbody></table>`;
    send(res, 200, page('Incidents', `${incidents.length === 0 ? '<p>No incidents yet.</p>' : table}<p><a href="/">Back to Records</a></p>`));
  }

  async function handle(req, res) {
    const url = new URL(req.url ?? '/', origin);
    const route = `${req.method} ${url.pathname}`;
    if (route === 'POST /backchannel-logout') return backchannelLogout(req, res);
    if (route === 'GET /callback') return callback(req, res, url);
    if (route === 'GET /signed-out')
      return send(res, 200, page('Signed out', '<p>You have signed out of Records and Gatehouse.</p><p><a href="/">Sign in again</a></p>'));
    const session = sessionOf(req);
    if (route === 'GET /') return home(res, session, url.searchParams.get('done') === 'added' ? 'The incident has been added.' : undefined);
    if (route === 'GET /login') return signIn(res, { returnTo: '/', full: false });
    if (!session) return req.method === 'GET' ? signIn(res, { returnTo: url.pathname, full: url.pathname === '/incidents' }) : redirect(res, '/');
    if (req.method === 'POST') {
      const form = await readBody(req);
      if (!sameText(form.get('csrf') ?? '', session.csrf)) return send(res, 403, page('Form expired', '<p><a href="/">Back to Records</a></p>'));
      if (url.pathname === '/logout') {
        sessions.delete(session.id);
        const params = { id_token_hint: session.idToken };
        if (options.postLogoutRedirectUri) params.post_logout_redirect_uri = options.postLogoutRedirectUri;
        return redirect(res, oidc.buildEndSessionUrl(config, params).href, { 'set-cookie': cookie(SESSION_COOKIE, '', 0) });
      }
      if (url.pathname === '/incidents') {
        const student = (form.get('student') ?? '').trim().slice(0, 200);
        const what = (form.get('what') ?? '').trim().slice(0, 5000);
        if (!student || !what)
          return send(res, 400, page('Add Incident', '<p role="alert">Enter the student and what happened.</p><p><a href="/incidents/new">Try again</a></p>'));
        incidents.unshift({ at: new Date(), student, what, by: session.claims.name ?? session.claims.email });
        return redirect(res, '/?done=added');
      }
    }
    if (route === 'GET /incidents/new') return incidentForm(res, session);
    // The list needs full access: a basic sign-in goes back to Gatehouse to ask for it.
    if (route === 'GET /incidents') return session.claims.acr === ACR_FULL ? incidentList(res) : signIn(res, { returnTo: '/incidents', full: true });
    send(res, 404, page('Not found', '<p><a href="/">Back to Records</a></p>'));
  }

  return {
    url: origin,
    redirectUri,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
