// What every Gatehouse Authenticator call answers: a result, or a refusal with its code and a
// message for the person (push-contract: `{ error, message }`, 4xx).
export type ApiRefusalCode = 'invalid' | 'invalid_enrolment' | 'wrong_number' | 'wrong_code' | 'expired' | 'answered' | 'throttled';

export type ApiRefusal = { ok: false; error: ApiRefusalCode; message: string; retryAfterSeconds?: number };

export type ApiResult<T> = { ok: true; value: T } | ApiRefusal;

const MESSAGES: Record<ApiRefusalCode, string> = {
  invalid: 'Gatehouse could not accept that from this app. Remove the account from the app and add it again if this keeps happening.',
  invalid_enrolment:
    'This QR code cannot be used (it has been used, is over 15 minutes old, or its sign-in has ended). Show a new one: Account Settings > Security keys > Add new device.',
  wrong_number: 'That is not the number on the sign-in screen. The request has been cancelled: try signing in again.',
  wrong_code: 'That code was not accepted. Check the time on this device is set automatically.',
  expired: 'This request has ended (requests last 2 minutes). Sign in again to make a new one.',
  answered: 'This request has already been answered.',
  throttled: 'Too many failed attempts: wait a few minutes and try again.',
};

export function apiRefused(error: ApiRefusalCode, retryAfterSeconds?: number): ApiRefusal {
  return { ok: false, error, message: MESSAGES[error], ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
}
