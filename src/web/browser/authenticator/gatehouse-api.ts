// The calls this app makes to Gatehouse (same origin, relative addresses), exactly as
// the API of routes/authenticator-api.ts says, and what the person is told for each refusal. Gatehouse
// answers every refusal with { error, message }; the app words the ones it knows itself, so
// that each says what to do next on the phone.
import { type DeviceKey, type SignedFields, signRequest } from './signed-request.ts';

export const API = '/authenticator/api';

export interface PendingRequest {
  id: string;
  site: { name: string };
  browser: string;
  createdAt: string;
  expiresAt: string;
  place: string;
  placeAttribution: { text: string; url: string } | null;
}

export interface Enrolled {
  deviceId: string;
  account: { email: string; site: { slug: string; name: string } };
  audience: string;
}

export type Decision = 'approve' | 'deny' | 'send_code';
export type AnswerOutcome = 'approved' | 'denied' | 'code_sent';

export type Answer<T> = { ok: true; value: T } | { ok: false; error: string; message: string };

/** What the person is told for each refusal the contract names. */
export const REFUSALS: Record<string, string> = {
  // Gatehouse gives a number one try: a wrong one ends the request, and the sign-in screen offers a new one.
  wrong_number:
    'That number does not match the one on your sign-in screen, so this request was refused. If it was you, send a new request from the sign-in screen.',
  wrong_code: 'Gatehouse did not accept the code this phone sent (is its clock right?). Type the code from this app on the sign-in screen instead.',
  expired: 'This sign-in request has expired. If it was you, start signing in again.',
  answered: 'This sign-in request has already been answered.',
  throttled: 'Too many wrong answers for this account. Wait a few minutes, or type the code from this app on the sign-in screen instead.',
  invalid: 'Gatehouse did not accept this phone\u2019s answer. If this keeps happening, remove the account from this app and add it again.',
  invalid_enrolment:
    'That QR code can no longer be used: it was used already, is more than 15 minutes old, or you have signed out since. Open Add new device again for a new one.',
  offline: 'Could not reach Gatehouse. Check that this phone is online and try again.',
};

const NOT_UNDERSTOOD = 'Gatehouse gave an answer this app did not understand. Try again in a moment.';

async function call<T>(path: string, init: RequestInit): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, {
      ...init,
      credentials: 'omit',
      cache: 'no-store',
      headers: { 'Content-Type': 'application/json', ...init.headers },
    });
  } catch {
    return { ok: false, error: 'offline', message: REFUSALS.offline! };
  }
  if (response.status === 204) return { ok: true, value: undefined as T };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, error: 'not_understood', message: NOT_UNDERSTOOD };
  }
  if (response.ok) return { ok: true, value: body as T };
  const refusal = (body ?? {}) as { error?: unknown; message?: unknown };
  const error = typeof refusal.error === 'string' ? refusal.error : 'refused';
  const message = REFUSALS[error] ?? (typeof refusal.message === 'string' && refusal.message !== '' ? refusal.message : NOT_UNDERSTOOD);
  return { ok: false, error, message };
}

const signed = async <T>(path: string, device: DeviceKey, fields: SignedFields) =>
  call<T>(path, { method: 'POST', body: JSON.stringify({ jws: await signRequest(device, fields) }) });

export async function pushKey(): Promise<string | null> {
  const answer = await call<{ vapidPublicKey: string | null }>('/push-key', { method: 'GET' });
  return answer.ok ? answer.value.vapidPublicKey : null;
}

export function registerDevice(body: {
  enrolment: string;
  publicKey: JsonWebKey;
  pushSubscription: PushSubscriptionJSON | null;
  name?: string;
}): Promise<Answer<Enrolled>> {
  return call('/devices', { method: 'POST', body: JSON.stringify(body) });
}

export async function listRequests(device: DeviceKey): Promise<Answer<PendingRequest[]>> {
  const answer = await signed<{ requests: PendingRequest[] }>('/requests', device, { action: 'list' });
  return answer.ok ? { ok: true, value: answer.value.requests } : answer;
}

export async function answerRequest(
  device: DeviceKey,
  answer: { requestId: string; number: string; decision: Decision; code?: string },
): Promise<Answer<AnswerOutcome>> {
  const result = await signed<{ outcome: AnswerOutcome }>('/answer', device, answer);
  return result.ok ? { ok: true, value: result.value.outcome } : result;
}

export function updateSubscription(device: DeviceKey, pushSubscription: PushSubscriptionJSON | null): Promise<Answer<void>> {
  return signed('/subscription', device, { pushSubscription });
}

/** Gatehouse removes this device from the account (as Account Settings > Security keys would), the call signed by its key. */
export function removeDevice(device: DeviceKey, site: string): Promise<Answer<void>> {
  return signed('/remove', device, { action: 'remove', site });
}

/** The address of this device's stream of new requests (a fresh signature each time: it lasts a minute). */
export async function eventsUrl(device: DeviceKey): Promise<string> {
  return `${API}/events?jws=${encodeURIComponent(await signRequest(device, { action: 'events' }))}`;
}
