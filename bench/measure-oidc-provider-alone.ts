// Figure 8's yardstick: oidc-provider by itself, as its quick start runs it (its in-memory
// adapter, one client, an interaction answered at once with no sign-in page), driven by the same
// relying party and browser-shaped client as Gatehouse's code flows, at the same concurrency.
// What it costs is what any provider built on the library pays before a page, a database or
// a password is added: with a sign-in's cost beside it, it bounds the flow ÷ sign-in ratio a
// Gatehouse that added nothing could reach. The in-memory adapter is for this measurement
// only; Gatehouse's storage is its database (src/oidc/adapter.ts).
import http from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import * as oidc from 'openid-client';
import { Client } from '../test/support/client.ts';
import { closedLoop } from './lib/load.ts';
import { authorizationRequest } from './lib/oidc-request.ts';
import { round } from './lib/stats.ts';

export interface ProviderAloneFigures {
  flowsPerSecond: number;
  /** This process's CPU per whole flow (the provider and the load generator), ms. */
  cpuMsPerFlow: number;
}

const SECRET = 'a client secret for the benchmark, long enough';

export async function measureProviderAlone(o: { concurrency: number; seconds: number }): Promise<ProviderAloneFigures> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const redirectUri = 'http://127.0.0.1:9/callback';
  // The quick start's notices about its defaults and its in-memory adapter, which this is meant to be.
  const { info, warn } = console;
  console.info = () => {};
  console.warn = () => {};
  const provider = new Provider(base, {
    clients: [{ client_id: 'bench', client_secret: SECRET, redirect_uris: [redirectUri], response_types: ['code'], grant_types: ['authorization_code'] }],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'bench', alg: 'RS256', use: 'sig' } as never] },
    cookies: { keys: [SECRET] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });
  const providerRequest = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return providerRequest(req, res);
    const details = await provider.interactionDetails(req, res);
    const grant = new provider.Grant({ accountId: 'person', clientId: String(details.params.client_id) });
    grant.addOIDCScope('openid');
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: 'person' }, consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: false },
    );
  });
  try {
    const rp = await oidc.discovery(new URL(base), 'bench', undefined, oidc.ClientSecretBasic(SECRET), { execute: [oidc.allowInsecureRequests] });
    const flow = async () => {
      const browser = new Client(base);
      const { url, exchange } = await authorizationRequest(rp, redirectUri);
      let page = await browser.get(`${url.pathname}${url.search}`);
      for (let hops = 0; page.location && !page.location.startsWith(redirectUri) && hops < 5; hops++)
        page = await browser.get(new URL(page.location, base).pathname);
      if (!page.location?.startsWith(redirectUri)) return false;
      return Boolean((await exchange(new URL(page.location))).id_token);
    };
    const cpu = process.cpuUsage();
    const run = await closedLoop({ concurrency: o.concurrency, durationMs: o.seconds * 1000, warmupMs: 1000 }, () => flow().catch(() => false));
    const used = process.cpuUsage(cpu);
    const ok = run.measured.filter((m) => m.value).length;
    return { flowsPerSecond: round((ok * 1000) / run.windowMs), cpuMsPerFlow: round((used.user + used.system) / 1000 / run.started, 2) };
  } finally {
    Object.assign(console, { info, warn });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
