// Reading a second-factor form, and what to tell the person when it is refused.
import type { SecondFactorMethod, SecondFactorResult } from '../auth/flows/second-factor/verify-second-factor.ts';
import { SECOND_FACTOR_METHODS } from '../auth/flows/second-factor/verify-second-factor.ts';
import type { Form } from './form.ts';
import { INCORRECT_CODE } from './views/second-factor-form.tsx';

export function readSecondFactorForm(form: Form): { method: SecondFactorMethod; code: string; credential: string } {
  const method = SECOND_FACTOR_METHODS.find((m) => m === form.method) ?? 'totp';
  return { method, code: (form.code ?? '').slice(0, 64), credential: (form.credential ?? '').slice(0, 16_384) };
}

export function refusalMessage(method: SecondFactorMethod, result: Extract<SecondFactorResult, { ok: false }>): string {
  if (result.reason === 'throttled') {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`;
  }
  if (method === 'webauthn') return 'That security key was not accepted. Try again, or choose another way.';
  if (method === 'recovery_code') return 'That recovery code is not right, or has already been used.';
  return INCORRECT_CODE;
}
