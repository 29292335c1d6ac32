import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerRequest, eventsUrl, listRequests, REFUSALS, registerDevice, removeDevice } from './gatehouse-api.ts';
import { generateDeviceKeyPair, SIGNED_REQUEST_TYPE } from './signed-request.ts';

const AUDIENCE = 'http://localhost/authenticator';

function answering(status: number, body: unknown) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
    status === 204 ? new Response(null, { status }) : new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function device() {
  const pair = await generateDeviceKeyPair();
  return { pair, key: { deviceId: 'd1', audience: AUDIENCE, privateKey: pair.privateKey } };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the app's calls to Gatehouse", () => {
  it('posts an answer as { jws } to /authenticator/api/answer, signed over the request, number and decision, with no cookie', async () => {
    const fetch = answering(200, { outcome: 'approved' });
    const { pair, key } = await device();
    expect(await answerRequest(key, { requestId: 'r1', number: '07', decision: 'approve' })).toEqual({ ok: true, value: 'approved' });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/authenticator/api/answer');
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit' });
    const { jws } = JSON.parse(init!.body as string);
    expect(decodeProtectedHeader(jws)).toMatchObject({ kid: 'd1', typ: SIGNED_REQUEST_TYPE });
    const { payload } = await jwtVerify(jws, pair.publicKey, { audience: AUDIENCE });
    expect(payload).toMatchObject({ requestId: 'r1', number: '07', decision: 'approve' });
  });

  it("removes the device with a signed { action: 'remove', site } to /authenticator/api/remove (204)", async () => {
    const fetch = answering(204, null);
    const { pair, key } = await device();
    expect(await removeDevice(key, 'north')).toEqual({ ok: true, value: undefined });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/authenticator/api/remove');
    const { payload } = await jwtVerify(JSON.parse(init!.body as string).jws, pair.publicKey, { audience: AUDIENCE });
    expect(payload).toMatchObject({ action: 'remove', site: 'north' });
  });

  it.each(['wrong_number', 'expired', 'answered', 'throttled', 'invalid', 'wrong_code'])(
    'tells the person what to do when Gatehouse refuses with %s',
    async (error) => {
      answering(error === 'throttled' ? 429 : 400, { error, message: 'from the server' });
      const { key } = await device();
      const answer = await answerRequest(key, { requestId: 'r1', number: '07', decision: 'approve' });
      expect(answer).toEqual({ ok: false, error, message: REFUSALS[error] });
      expect(REFUSALS[error]).toMatch(/\.$/);
    },
  );

  it("shows Gatehouse's own message for a refusal the app does not know", async () => {
    answering(400, { error: 'something_new', message: 'Something new happened.' });
    const { key } = await device();
    expect(await listRequests(key)).toEqual({ ok: false, error: 'something_new', message: 'Something new happened.' });
  });

  it('says the phone is offline when Gatehouse cannot be reached, and never throws', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const { key } = await device();
    expect(await listRequests(key)).toMatchObject({ ok: false, error: 'offline' });
  });

  it('does not take an answer that is not JSON (a proxy page) for one', async () => {
    answering(502, '<html>Bad gateway</html>');
    const { key } = await device();
    expect(await listRequests(key)).toMatchObject({ ok: false, error: 'not_understood' });
  });

  it('explains an enrolment token that can no longer be used', async () => {
    answering(400, { error: 'invalid_enrolment', message: 'x' });
    const answer = await registerDevice({ enrolment: 'token', publicKey: {}, pushSubscription: null });
    expect(answer).toMatchObject({ ok: false, error: 'invalid_enrolment' });
    if (!answer.ok) expect(answer.message).toContain('Open Add new device again');
  });

  it('puts a fresh signature in each address of the event stream', async () => {
    const { key } = await device();
    const [a, b] = [await eventsUrl(key), await eventsUrl(key)];
    expect(a).toMatch(/^\/authenticator\/api\/events\?jws=[\w.-]+$/);
    expect(a).not.toBe(b);
  });
});
