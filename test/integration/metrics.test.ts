// /metrics on its own listener (METRICS_PORT) counts a known sequence of events: sign-ins by
// outcome, second factors by method and outcome, requests by route pattern; it shows the
// hashing gate, the database and the mail outbox; school systems' authorizations and tokens;
// and no label carries anything personal.
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMail } from '../../src/mail/outbox.ts';
import { enrolAuthenticatorApp, personWithPassword } from '../support/admin-session.ts';
import { Client } from '../support/client.ts';
import { databaseKinds } from '../support/databases.ts';
import { requestShown } from '../support/phone.ts';
import { eventually, phoneSubscribedTo, TestPushService } from '../support/push-service.ts';
import { callbackOf, RelyingParty } from '../support/relying-party.ts';
import { totp } from '../support/rfc6238.ts';
import { PASSWORD, seedSchools, startTestGatehouse, type TestGatehouse } from '../support/test-gatehouse.ts';

const kinds = await databaseKinds();

/** The value of one sample (`name{labels}`), or undefined when the scrape lacks it. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = line.match(/^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe.each(kinds)('metrics (%s)', (kind) => {
  let g: TestGatehouse;
  let pushService: TestPushService;
  beforeAll(async () => {
    pushService = await TestPushService.start();
    g = await startTestGatehouse(kind, { env: { METRICS_PORT: '0' } });
    await seedSchools(g);
  });
  afterAll(async () => {
    await g?.close();
    await pushService?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${g.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  it('is served on its own listener only', async () => {
    expect(g.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(g.metricsUrl).not.toBe(g.url);
    expect((await fetch(`${g.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${g.metricsUrl}/elsewhere`)).status).toBe(404);
  });

  it('counts sign-ins and second factors by outcome, requests by route pattern, and names nobody', async () => {
    const wrong = new Client(g.url);
    for (let i = 0; i < 2; i++) expect((await wrong.signIn('north', 'admin@north.example', 'not the password at all')).status).toBe(401);

    const teacher = new Client(g.url);
    expect((await teacher.signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
    const { secret } = await enrolAuthenticatorApp(teacher, 'north');

    // With the app: the password, then a wrong code, then the next step's code (the current one was used to enrol).
    const phone = new Client(g.url);
    expect((await phone.signIn('north', 'teacher@north.example', PASSWORD)).location).toBe('/north/login/second-step');
    await phone.get('/north/login/second-step');
    expect((await phone.post('/north/login/second-step', { method: 'totp', code: totp(secret) === '000000' ? '111111' : '000000' })).status).toBe(401);
    expect((await phone.post('/north/login/second-step', { method: 'totp', code: totp(secret, Date.now() + 30_000) })).status).toBe(303);

    const text = await scrape();
    expect(sample(text, 'gatehouse_sign_ins_total', { outcome: 'wrong_password' })).toBe(2);
    expect(sample(text, 'gatehouse_sign_ins_total', { outcome: 'success' })).toBe(1);
    expect(sample(text, 'gatehouse_sign_ins_total', { outcome: 'second_step' })).toBe(1);
    expect(sample(text, 'gatehouse_second_factors_total', { method: 'totp', outcome: 'wrong' })).toBe(1);
    expect(sample(text, 'gatehouse_second_factors_total', { method: 'totp', outcome: 'success' })).toBe(1);
    // 4 sign-in POSTs: 2 refused (4xx), 2 redirects.
    expect(sample(text, 'gatehouse_http_request_duration_seconds_count', { method: 'POST', route: '/:site/login', status: '4xx' })).toBe(2);
    expect(sample(text, 'gatehouse_http_request_duration_seconds_count', { method: 'POST', route: '/:site/login', status: '3xx' })).toBe(2);
    expect(sample(text, 'gatehouse_hashing_queued')).toBe(0);
    expect(sample(text, 'gatehouse_hashing_refusals_total', { where: 'door' }) ?? 0).toBe(0);
    expect(sample(text, 'gatehouse_database_available')).toBe(1);
    expect(sample(text, 'gatehouse_mail_outbox_unsent')).toEqual(expect.any(Number));
    expect(sample(text, 'gatehouse_mail_outbox_oldest_unsent_seconds')).toEqual(expect.any(Number));
    if (kind === 'postgres') expect(sample(text, 'gatehouse_database_pool_total')).toBeGreaterThan(0);
    expect(sample(text, 'gatehouse_process_resident_memory_bytes')).toBeGreaterThan(0);

    // No school, person, address or id in any label: only patterns and outcomes.
    const labels = [...text.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).join('\n');
    expect(labels).not.toMatch(/north|example|@|127\.0\.0\.1|[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it('counts school systems’ authorizations and token requests by outcome and grant', async () => {
    const rp = await RelyingParty.register(g, 'north');
    try {
      // One code issued and exchanged; one refresh, then the same refresh token again (refused);
      // one prompt=none with nobody signed in (denied); one request without PKCE (an error).
      const person = await personWithPassword(g, { group: 'Teachers' });
      const { started, landing } = await rp.signIn(new Client(g.url), person.email);
      const tokens = await rp.finish(started, callbackOf(landing));
      await oidc.refreshTokenGrant(rp.config, tokens.refresh_token!);
      await expect(oidc.refreshTokenGrant(rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      const silent = await rp.follow(new Client(g.url), (await rp.start({ prompt: 'none' })).url);
      expect(callbackOf(silent).searchParams.get('error')).toBe('login_required');
      const withoutPkce = (await rp.start()).url;
      withoutPkce.searchParams.delete('code_challenge');
      const refused = await rp.follow(new Client(g.url), withoutPkce);
      expect(callbackOf(refused).searchParams.get('error')).toBe('invalid_request');

      const text = await scrape();
      const each: Array<[string, Record<string, string>]> = [
        ...['issued', 'denied', 'error'].map((outcome): [string, Record<string, string>] => ['gatehouse_oidc_authorizations_total', { outcome }]),
        ['gatehouse_oidc_tokens_total', { grant: 'authorization_code', outcome: 'issued' }],
        ['gatehouse_oidc_tokens_total', { grant: 'refresh_token', outcome: 'issued' }],
        ['gatehouse_oidc_tokens_total', { grant: 'refresh_token', outcome: 'refused' }],
      ];
      for (const [name, labels] of each) expect(sample(text, name, labels), `${name} ${JSON.stringify(labels)}`).toBe(1);
    } finally {
      await rp.close();
    }
  });

  it("counts the Gatehouse Authenticator's push notifications (sent, gone), subscriptions and answers by outcome", async () => {
    const { email, phone, clientHash } = await phoneSubscribedTo(g, pushService, 'pushed-metrics@north.example');
    const waiting = async () => {
      const desk = new Client(g.url);
      await desk.signIn('north', email, PASSWORD);
      return requestShown((await desk.get('/north/login/second-step')).html)!;
    };
    const first = await waiting();
    await eventually(
      () => pushService.messages(clientHash),
      (m) => m.length > 0,
    );
    const wrong = String(((Number(first.number) - 10 + 1) % 90) + 10);
    expect((await phone.answer(first.requestId, 'approve', { number: wrong })).json.error).toBe('wrong_number');
    const second = await waiting();
    expect((await phone.answer(second.requestId, 'approve', { number: second.number })).json.outcome).toBe('approved');
    await pushService.expire(clientHash);
    await waiting();
    const text = await eventually(scrape, (t) => sample(t, 'gatehouse_push_notifications_total', { outcome: 'gone' }) === 1);
    expect(sample(text, 'gatehouse_push_notifications_total', { outcome: 'sent' })).toBe(2);
    expect(sample(text, 'gatehouse_push_notifications_total', { outcome: 'gone' })).toBe(1);
    expect(sample(text, 'gatehouse_push_subscriptions_total', { change: 'added' })).toBe(1);
    expect(sample(text, 'gatehouse_push_subscriptions_total', { change: 'removed' })).toBe(1);
    expect(sample(text, 'gatehouse_push_answers_total', { outcome: 'wrong_number' })).toBe(1);
    expect(sample(text, 'gatehouse_push_answers_total', { outcome: 'approved' })).toBe(1);
  });

  it('counts a push subscription removed when its device goes, in Account Settings or by the app itself', async () => {
    const removed = async () => sample(await scrape(), 'gatehouse_push_subscriptions_total', { change: 'removed' }) ?? 0;
    const before = await removed();
    const inSettings = await phoneSubscribedTo(g, pushService, 'removed-in-settings@north.example');
    await inSettings.settings.post('/north/account/security-keys/authenticator/new/added', {});
    const elevating = requestShown((await inSettings.settings.get('/north/elevate')).html)!;
    expect((await inSettings.phone.answer(elevating.requestId, 'approve', { number: elevating.number })).json.outcome).toBe('approved');
    expect((await inSettings.settings.post('/north/elevate', { method: 'push', request: elevating.requestId })).status).toBe(303);
    expect((await inSettings.settings.post(`/north/account/security-keys/${inSettings.phone.deviceId}/remove`, {})).status).toBe(303);
    expect(await removed()).toBe(before + 1);
    const byApp = await phoneSubscribedTo(g, pushService, 'removed-by-app@north.example');
    expect((await byApp.phone.api('remove', { jws: await byApp.phone.sign({ action: 'remove', site: 'north' }) })).status).toBe(204);
    expect(await removed()).toBe(before + 2);
  });

  it('shows the mail outbox waiting while the sender cannot send', async () => {
    await g.services.mail.stop();
    await enqueueMail(g.services.db, g.services.keys.encryption, {
      to: 'someone@north.example',
      kind: 'test',
      subject: 'Test',
      text: 'Test',
      html: '<p>Test</p>',
    });
    const text = await scrape();
    expect(sample(text, 'gatehouse_mail_outbox_unsent')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'gatehouse_mail_outbox_oldest_unsent_seconds')).toBeGreaterThanOrEqual(0);
  });
});
