// The second factor, checked the same way wherever it is asked for (the second step of
// sign-in, "Elevate Your Access", confirming it's you): throttled per account, apart from
// password failures, with the hard cap of 100 in a row (auth/throttle/second-factor-throttle.ts);
// every checked outcome in the security log; the cap emailed. The method (auth/second-factors/)
// checks its own answer and says what else a pass means (a used recovery code's email).
import type { Statement } from '../../../db/one-statement.ts';
import { securityEvent } from '../../../db/schema.ts';
import { signInUrl } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { logSecurityEvent, type SecurityEventInput, securityEventRow } from '../../../security-log/security-events.ts';
import type { Answer, Attempt, Refusal, SecondFactor } from '../../second-factors/index.ts';
import { SECOND_FACTOR_FAILURE_CAP } from '../../throttle/index.ts';
import type { AuthServices } from '../deps.ts';
import { secondFactorsLockedEmail } from './emails.ts';

export interface SecondFactorAttempt extends Attempt {
  /** The method the form named, and its fields of the form. */
  method: SecondFactor;
  answer: Answer;
}

export type SecondFactorResult =
  /** `passing`: how many rows the caller's `passing` write changed, when it gave one. */
  | { ok: true; method: string; deviceName?: string; passing?: number }
  /** `refusal`: what the method tells the person this time, when not its usual words. */
  | { ok: false; reason: 'wrong'; refusal?: Refusal }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** 100 failures in a row: no second factor works until a password reset or an admin unlocks them. */
  | { ok: false; reason: 'locked' };

/**
 * `passing`: a write that belongs with a pass, and only with one (the second step's end of its
 * pending sign-in): sent in the pass's own statement, and its rows counted.
 */
export async function verifySecondFactor(services: AuthServices, a: SecondFactorAttempt, passing?: Statement): Promise<SecondFactorResult> {
  const result = await checkSecondFactor(services, a, passing);
  services.metrics.secondFactors.inc({ method: a.method.id, outcome: result.ok ? 'success' : result.reason });
  return result;
}

async function checkSecondFactor(services: AuthServices, a: SecondFactorAttempt, passing: Statement | undefined): Promise<SecondFactorResult> {
  const { db, log } = services;
  const { method } = a;
  const who = { accountId: a.accountId, siteId: a.site.id, ip: a.ip, userAgent: a.userAgent };
  // Its place in the counts first: of a burst, no more are compared than the limit allows.
  const admission = await services.secondFactorThrottle.reserve(a.accountId);
  if (!admission.ok) {
    services.refusals.throttled.note('second_factor');
    return admission.reason === 'throttled'
      ? { ok: false, reason: 'throttled', retryAfterSeconds: admission.retryAfterSeconds }
      : { ok: false, reason: 'locked' };
  }

  const outcome = await method.verify(services, a, a.answer);
  if (!outcome.ok) {
    const { lockouts, capReached } = await services.secondFactorThrottle.failed(admission);
    const events: SecurityEventInput[] = [{ ...who, event: 'second_factor_failed', detail: { method: method.id, reason: outcome.detail } }];
    if (lockouts.length > 0) events.push({ ...who, event: 'second_factor_throttled', detail: { method: method.id, waitSeconds: lockouts[0]!.waitSeconds } });
    if (capReached) events.push({ ...who, event: 'second_factor_locked', detail: { failures: SECOND_FACTOR_FAILURE_CAP } });
    await db.transaction(async (tx) => {
      await tx.insert(securityEvent).values(events.map(securityEventRow));
      if (capReached)
        await enqueueMail(tx, services.keys.encryption, {
          to: a.email,
          kind: 'second_factors_locked',
          siteId: a.site.id,
          ...secondFactorsLockedEmail({ siteName: a.site.name, loginUrl: signInUrl(services.config.publicUrl, a.site.slug) }),
        });
    });
    for (const e of events) logSecurityEvent(log, e);
    if (capReached) services.mail.kick();
    if (capReached) return { ok: false, reason: 'locked' };
    return outcome.refusal ? { ok: false, reason: 'wrong', refusal: outcome.refusal } : { ok: false, reason: 'wrong' };
  }

  const passed: SecurityEventInput = {
    ...who,
    event: 'second_factor_passed',
    detail: { ...outcome.detail, method: method.id, device: outcome.deviceName ?? null },
  };
  // One statement, one commit: the success's bookkeeping and its log line (a waiting sign-in page is held up by each round trip).
  const logged = db.insert(securityEvent).values(securityEventRow(passed));
  const { ended } = await services.secondFactorThrottle.succeeded(admission, a.accountId, [logged], passing);
  logSecurityEvent(log, passed);
  await outcome.afterPass?.(services, a);
  return { ok: true, method: method.id, ...(outcome.deviceName ? { deviceName: outcome.deviceName } : {}), ...(passing ? { passing: ended } : {}) };
}
