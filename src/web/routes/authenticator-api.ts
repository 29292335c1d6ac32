// /authenticator/api: what the Gatehouse Authenticator calls (docs: push-contract.md in the
// project notes; README "The Gatehouse Authenticator"), and the waiting sign-in page's stream.
// JSON in and out; a refusal is `{ error, message }` with a 4xx, never a 500. No cookie
// authenticates any of it: registering carries its single-use token, and every other call is
// a JWS signed by the device key (auth/methods/push/device-call.ts), so CSRF does not apply
// (middleware/csrf.ts exempts this path, and only this one).
import { type Context, Hono } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { answerSignInRequest } from '../../auth/flows/authenticator/answer-request.ts';
import { type ApiRefusal, apiRefused } from '../../auth/flows/authenticator/api-answer.ts';
import { listSignInRequests } from '../../auth/flows/authenticator/list-requests.ts';
import { registerAuthenticator, updateSubscription } from '../../auth/flows/authenticator/register-device.ts';
import { removeAuthenticatorDevice } from '../../auth/flows/authenticator/remove-device.ts';
import { deviceCallAudience, verifyDeviceCall } from '../../auth/methods/push/device-call.ts';
import { accountTopic, requestTopic } from '../../auth/methods/push/push-services.ts';
import { findRequest, statusOf } from '../../auth/methods/push/sign-in-requests.ts';
import { isUuid } from '../../lib/is-uuid.ts';
import type { AppEnv } from '../env.ts';

const STATUS: Record<string, ContentfulStatusCode> = {
  invalid: 400,
  invalid_enrolment: 400,
  wrong_number: 400,
  wrong_code: 400,
  expired: 409,
  answered: 409,
  throttled: 429,
};

/** How long a stream stays open (the client opens another), and how often it looks at the database besides its wake-ups. */
const STREAM_SECONDS = { request: 150, app: 300 };
const POLL_MS = { request: 10_000, app: 30_000 };

function refusal(c: Context<AppEnv>, r: ApiRefusal) {
  if (r.retryAfterSeconds) c.header('Retry-After', String(r.retryAfterSeconds));
  return c.json({ error: r.error, message: r.message }, STATUS[r.error] ?? 400);
}

async function body(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    return undefined;
  }
}

/** The signed call in the body (or, for a stream, the query), checked; its device and claims, or a refusal. */
async function signedCall(c: Context<AppEnv>, jws: unknown, action?: string) {
  const { services } = c.var;
  const call = await verifyDeviceCall(services.db, jws, { audience: deviceCallAudience(services.config.publicUrl) });
  if (!call.ok) {
    c.var.log.info({ reason: call.reason }, 'authenticator call refused');
    return apiRefused('invalid');
  }
  if (action !== undefined && call.claims.action !== action) return apiRefused('invalid');
  return { ok: true as const, value: call };
}

/**
 * A server-sent event stream that runs `tick` at once, then after each wake-up on `topic` (or
 * every `pollMs`, should a NOTIFY be lost), until `tick` says it is done, the client goes, the
 * stream has lasted `seconds` (the client opens another) or the server is closing. `tick` is
 * given the news of the wake-up that ran it, when it brought some (Wakeups' `notifying`).
 */
function wakeableStream(
  c: Context<AppEnv>,
  o: { topic: string; pollMs: number; seconds: number },
  tick: (stream: SSEStreamingApi, news: string | undefined) => Promise<boolean>,
) {
  const { wakeups } = c.var.services.authenticator;
  return streamSSE(c, async (stream) => {
    let wake: ((news?: string) => void) | undefined;
    let news: string | undefined;
    const off = wakeups.on(o.topic, (heard) => wake?.(heard));
    let gone = false;
    stream.onAbort(() => {
      gone = true;
      wake?.();
    });
    const until = Date.now() + o.seconds * 1000;
    try {
      while (!gone && Date.now() < until && !wakeups.closing && (await tick(stream, news))) {
        news = await new Promise<string | undefined>((resolve) => {
          const timer = setTimeout(resolve, o.pollMs);
          wake = (heard) => {
            clearTimeout(timer);
            resolve(heard);
          };
        });
      }
    } finally {
      off();
    }
  });
}

export const authenticatorApiRoutes = new Hono<AppEnv>()
  .get('/push-key', async (c) => c.json({ vapidPublicKey: await c.var.services.authenticator.delivery.publicKey() }))
  .post('/devices', async (c) => {
    const r = await registerAuthenticator(c.var.services, await body(c), { ip: c.var.ip, userAgent: c.var.userAgent });
    if (!r.ok) return refusal(c, r);
    return c.json({ ...r.value, audience: deviceCallAudience(c.var.services.config.publicUrl) }, 201);
  })
  .post('/requests', async (c) => {
    const call = await signedCall(c, ((await body(c)) as { jws?: unknown } | undefined)?.jws, 'list');
    if (!call.ok) return refusal(c, call);
    return c.json({ requests: await listSignInRequests(c.var.services, call.value.device.accountId) });
  })
  .post('/answer', async (c) => {
    const call = await signedCall(c, ((await body(c)) as { jws?: unknown } | undefined)?.jws);
    if (!call.ok) return refusal(c, call);
    const r = await answerSignInRequest(c.var.services, call.value.device, call.value.claims);
    if (!r.ok) return refusal(c, r);
    return c.json({ outcome: r.value });
  })
  .post('/subscription', async (c) => {
    const call = await signedCall(c, ((await body(c)) as { jws?: unknown } | undefined)?.jws);
    if (!call.ok) return refusal(c, call);
    const r = await updateSubscription(c.var.services, call.value.device.id, call.value.claims);
    if (!r.ok) return refusal(c, r);
    return c.body(null, 204);
  })
  // The app removes itself: this device goes, as if removed under Security keys (logged, emailed).
  .post('/remove', async (c) => {
    const call = await signedCall(c, ((await body(c)) as { jws?: unknown } | undefined)?.jws, 'remove');
    if (!call.ok) return refusal(c, call);
    const r = await removeAuthenticatorDevice(c.var.services, call.value.device, call.value.claims, { ip: c.var.ip, userAgent: c.var.userAgent });
    if (!r.ok) return refusal(c, r);
    return c.body(null, 204);
  })
  .get('/events', async (c) => {
    const call = await signedCall(c, c.req.query('jws'), 'events');
    if (!call.ok) return refusal(c, call);
    const accountId = call.value.device.accountId;
    const told = new Set<string>();
    return wakeableStream(c, { topic: accountTopic(accountId), pollMs: POLL_MS.app, seconds: STREAM_SECONDS.app }, async (stream) => {
      for (const r of await listSignInRequests(c.var.services, accountId)) {
        if (told.has(r.id)) continue;
        told.add(r.id);
        await stream.writeSSE({ event: 'request', data: JSON.stringify({ id: r.id }) });
      }
      return true;
    });
  })
  // The waiting sign-in page (or Elevate Your Access): its request's status as it changes. The
  // id is random and the stream says only pending/approved/denied/…: nothing to learn from it.
  .get('/sign-in-requests/:id/events', async (c) => {
    const id = c.req.param('id');
    // The first look is also the stream's first event: read once, not twice.
    let first = isUuid(id) ? await findRequest(c.var.services.db, id) : undefined;
    if (!first) return refusal(c, apiRefused('invalid'));
    let last: string | undefined;
    return wakeableStream(c, { topic: requestTopic(id), pollMs: POLL_MS.request, seconds: STREAM_SECONDS.request }, async (stream, news) => {
      // The answer's wake-up says what the row became (answerRequest): no round trip to read it back.
      const found = news === undefined ? (first ?? (await findRequest(c.var.services.db, id))) : undefined;
      first = undefined;
      const status = news ?? (found ? statusOf(found) : 'expired');
      if (status !== last) {
        last = status;
        await stream.writeSSE({ event: 'status', data: JSON.stringify({ status }) });
      }
      return status === 'pending';
    });
  })
  .get('/sign-in-requests/:id', async (c) => {
    const id = c.req.param('id');
    const found = isUuid(id) ? await findRequest(c.var.services.db, id) : undefined;
    if (!found) return refusal(c, apiRefused('invalid'));
    return c.json({ status: statusOf(found) });
  });
