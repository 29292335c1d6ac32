import { HOTP, Secret, TOTP } from 'otpauth';
import { normaliseTotpCode } from './normalise-totp-code.ts';
import { TOTP_SETTINGS, TOTP_WINDOW } from './totp-settings.ts';

export type TotpFailure = 'malformed' | 'wrong' | 'replayed';

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: TotpFailure };

/**
 * Whether `code` is the secret's code for a time step within one of `now`, and one this device
 * has not passed yet: any step at or before `lastStep` (the last one accepted) is refused, so a
 * code works once, and an older code is refused after a newer one. Pure; the caller records
 * the step it returns (atomically: see verifyTotpForAccount).
 */
export function checkTotpCode(secret: string, code: string, { now, lastStep }: { now: Date; lastStep: number | null }): TotpCheck {
  const token = normaliseTotpCode(code);
  if (token === undefined) return { ok: false, reason: 'malformed' };
  const key = Secret.fromBase32(secret);
  const current = TOTP.counter({ period: TOTP_SETTINGS.period, timestamp: now.getTime() });
  let replayed = false;
  // The earliest matching step still unused: a (one in a million) code that is also an older
  // step's is not refused as a replay while it is valid now.
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    const matches = HOTP.validate({ token, secret: key, algorithm: TOTP_SETTINGS.algorithm, digits: TOTP_SETTINGS.digits, counter: step, window: 0 }) !== null;
    if (!matches) continue;
    if (lastStep !== null && step <= lastStep) {
      replayed = true;
      continue;
    }
    return { ok: true, step };
  }
  return { ok: false, reason: replayed ? 'replayed' : 'wrong' };
}
