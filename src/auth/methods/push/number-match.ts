// The number shown on the signing-in screen, which the phone must type to approve: two digits,
// 10 to 99 (no leading zero to drop), chosen by the server. A prompt approved by habit, or by
// someone tired of being asked, fails here: the number is only on the screen of the person
// signing in (number matching, as Microsoft made mandatory in 2023).
import { randomInt, timingSafeEqual } from 'node:crypto';

export function newMatchNumber(): string {
  return String(randomInt(10, 100));
}

/** Whether the typed number is the one shown (spaces around it forgiven). */
export function sameNumber(shown: string, typed: unknown): boolean {
  if (typeof typed !== 'string') return false;
  const t = Buffer.from(typed.trim());
  const s = Buffer.from(shown);
  return t.length === s.length && timingSafeEqual(t, s);
}
