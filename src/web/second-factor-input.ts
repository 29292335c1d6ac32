// Reading a second-factor form, and what to tell the person when it is refused.
import type { SecondFactorMethod, SecondFactorResult } from '../auth/flows/second-factor/verify-second-factor.ts';
import { SECOND_FACTOR_METHODS } from '../auth/flows/second-factor/verify-second-factor.ts';
import type { Form } from './form.ts';
import { INCORRECT_CODE } from './views/second-factor-form.tsx';

export function readSecondFactorForm(form: Form): { method: SecondFactorMethod; code: string; credential: string } {
  const method = SECOND_FACTOR_METHODS.find((m) => m === form.method) ?? 'totp';
  return { method, code: (form.code ?? '').slice(0, 64), credential: (form.credential ?? '').slice(0, 16_384) };
}

/** "Locked" names both ways out: the person's own (a password reset) and the school's. */
export const SECOND_FACTORS_LOCKED =
  'Two-factor sign-in is locked for your account after 100 failed attempts in a row. To unlock it, set a new password with "Forgotten your password or using Gatehouse for the first time?" on your school\'s sign-in page, or ask your school\'s Gatehouse administrator (an Admin key holder) to unlock it.';

export function refusalMessage(method: SecondFactorMethod, result: Extract<SecondFactorResult, { ok: false }>): string {
  if (result.reason === 'locked') return SECOND_FACTORS_LOCKED;
  if (result.reason === 'throttled') {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
  }
  if (method === 'webauthn') return 'That security key was not accepted. Try again, or choose another way.';
  if (method === 'recovery_code') return 'That recovery code is not right, or has already been used.';
  return INCORRECT_CODE;
}

/** 401 for a wrong answer, 429 while paused (with Retry-After), 403 while locked. */
export function refusalStatus(result: Extract<SecondFactorResult, { ok: false }>): 401 | 403 | 429 {
  return result.reason === 'throttled' ? 429 : result.reason === 'locked' ? 403 : 401;
}
