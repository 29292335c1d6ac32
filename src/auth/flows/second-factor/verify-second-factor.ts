// The second factor, checked the same way wherever it is asked for (the second step of
// sign-in, "Elevate Your Access", confirming it's you): throttled per account, apart from
// password failures, with the hard cap of 100 in a row (auth/throttle/second-factor-throttle.ts);
// every checked outcome in the security log; a used recovery code, and the cap, emailed.
import { relyingParty, finishKeyAuthentication } from '../../methods/webauthn/index.ts';
import { useRecoveryCode } from '../../methods/recovery-codes/index.ts';
import { verifyTotpForAccount } from '../../methods/totp/index.ts';
import { securityEvent } from '../../../db/schema.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { logSecurityEvent, recordSecurityEvent, type SecurityEventInput, securityEventRow } from '../../../security-log/security-events.ts';
import type { AuthServices } from '../deps.ts';
import { SECOND_FACTOR_FAILURE_CAP } from '../../throttle/index.ts';
import { recoveryCodeUsedEmail, secondFactorsLockedEmail } from './emails.ts';
import { signInUrl } from '../../../lib/urls.ts';

export type SecondFactorMethod = 'totp' | 'webauthn' | 'recovery_code';

export const SECOND_FACTOR_METHODS: readonly SecondFactorMethod[] = ['totp', 'webauthn', 'recovery_code'];

export interface SecondFactorAttempt {
  accountId: string;
  email: string;
  site: { id: string; slug: string; name: string };
  /** Whose WebAuthn ceremony this answers: the pending sign-in's or the session's id. */
  ceremonyOwnerId: string;
  method: SecondFactorMethod;
  /** The code typed (TOTP or recovery code). */
  code?: string;
  /** The security key's answer, as JSON from the browser. */
  credential?: string;
  ip: string;
  userAgent: string;
}

export type SecondFactorResult =
  | { ok: true; method: SecondFactorMethod; deviceName?: string }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  /** 100 failures in a row: no second factor works until a password reset or an admin unlocks them. */
  | { ok: false; reason: 'locked' };

type Check = { ok: true; deviceName?: string; remainingCodes?: number } | { ok: false; detail: string };

async function check(services: AuthServices, a: SecondFactorAttempt): Promise<Check> {
  const { db, keys, config } = services;
  switch (a.method) {
    case 'totp': {
      const r = await verifyTotpForAccount(db, keys.encryption, a.accountId, a.code ?? '');
      return r.ok ? { ok: true, deviceName: r.deviceName } : { ok: false, detail: r.reason };
    }
    case 'recovery_code': {
      const r = await useRecoveryCode(db, keys.recoveryCodes, a.accountId, a.code ?? '');
      return r.ok ? { ok: true, remainingCodes: r.remaining } : { ok: false, detail: 'wrong' };
    }
    case 'webauthn': {
      // The form field's text as sent: the method checks its size and shape before parsing.
      const r = await finishKeyAuthentication(db, keys.encryption, {
        ownerId: a.ceremonyOwnerId,
        accountId: a.accountId,
        response: a.credential ?? '',
        rp: relyingParty(config.publicUrl),
      });
      return r.ok ? { ok: true, deviceName: r.deviceName } : { ok: false, detail: r.reason };
    }
  }
}

export async function verifySecondFactor(services: AuthServices, a: SecondFactorAttempt): Promise<SecondFactorResult> {
  const { db, log } = services;
  const who = { accountId: a.accountId, siteId: a.site.id, ip: a.ip, userAgent: a.userAgent };
  // Its place in the counts first: of a burst, no more are compared than the limit allows.
  const admission = await services.secondFactorThrottle.reserve(a.accountId);
  if (!admission.ok) {
    services.refusals.throttled.note('second_factor');
    return admission.reason === 'throttled' ? { ok: false, reason: 'throttled', retryAfterSeconds: admission.retryAfterSeconds } : { ok: false, reason: 'locked' };
  }

  const outcome = await check(services, a);
  if (!outcome.ok) {
    const { lockouts, capReached } = await services.secondFactorThrottle.failed(admission);
    const events: SecurityEventInput[] = [{ ...who, event: 'second_factor_failed', detail: { method: a.method, reason: outcome.detail } }];
    if (lockouts.length > 0) events.push({ ...who, event: 'second_factor_throttled', detail: { method: a.method, waitSeconds: lockouts[0]!.waitSeconds } });
    if (capReached) events.push({ ...who, event: 'second_factor_locked', detail: { failures: SECOND_FACTOR_FAILURE_CAP } });
    await db.transaction(async (tx) => {
      await tx.insert(securityEvent).values(events.map(securityEventRow));
      if (capReached) await enqueueMail(tx, services.keys.encryption, { to: a.email, kind: 'second_factors_locked', ...secondFactorsLockedEmail({ siteName: a.site.name, loginUrl: signInUrl(services.config.publicUrl, a.site.slug) }) });
    });
    for (const e of events) logSecurityEvent(log, e);
    if (capReached) services.mail.kick();
    return capReached ? { ok: false, reason: 'locked' } : { ok: false, reason: 'wrong' };
  }

  await services.secondFactorThrottle.succeeded(admission, a.accountId);
  await recordSecurityEvent(db, log, { ...who, event: 'second_factor_passed', detail: { method: a.method, device: outcome.deviceName ?? null } });
  if (a.method === 'recovery_code') {
    await recordSecurityEvent(db, log, { ...who, event: 'recovery_code_used', detail: { remaining: outcome.remainingCodes ?? 0 } });
    const mail = recoveryCodeUsedEmail({ siteName: a.site.name, loginUrl: signInUrl(services.config.publicUrl, a.site.slug), remaining: outcome.remainingCodes ?? 0 });
    await enqueueMail(db, services.keys.encryption, { to: a.email, kind: 'recovery_code_used', ...mail });
    services.mail.kick();
  }
  return { ok: true, method: a.method, ...(outcome.deviceName ? { deviceName: outcome.deviceName } : {}) };
}
