// What to tell the person when a second factor is refused (reading the form: secondFactorAnswer).
import type { SecondFactorResult } from '../auth/flows/second-factor/verify-second-factor.ts';
import type { Refusal, SecondFactor } from '../auth/second-factors/index.ts';

/** "Locked" names both ways out: the person's own (a password reset) and the school's. */
export const SECOND_FACTORS_LOCKED =
  'Two-factor sign-in is locked for your account after 100 failed attempts in a row. To unlock it, set a new password with "Forgotten your password or using Gatehouse for the first time?" on your school\'s sign-in page, or ask your school\'s Gatehouse administrator (an Admin key holder) to unlock it.';

export function refusalMessage(method: SecondFactor, result: Extract<SecondFactorResult, { ok: false }>): Refusal {
  if (result.reason === 'locked') return { message: SECOND_FACTORS_LOCKED };
  if (result.reason === 'throttled') {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return { message: `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.` };
  }
  return result.refusal ?? method.refusal;
}

/** 401 for a wrong answer, 429 while paused (with Retry-After), 403 while locked. */
export function refusalStatus(result: Extract<SecondFactorResult, { ok: false }>): 401 | 403 | 429 {
  return result.reason === 'throttled' ? 429 : result.reason === 'locked' ? 403 : 401;
}
