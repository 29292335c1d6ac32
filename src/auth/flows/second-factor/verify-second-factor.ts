// The second factor, checked the same way wherever it is asked for (the second step of
// sign-in, "Elevate Your Access", confirming it's you): throttled per account, apart from
// password failures; every outcome in the security log; a used recovery code emailed.
import { relyingParty, finishKeyAuthentication } from '../../methods/webauthn/index.ts';
import { useRecoveryCode } from '../../methods/recovery-codes/index.ts';
import { verifyTotpForAccount } from '../../methods/totp/index.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { Services } from '../../../services.ts';
import { recoveryCodeUsedEmail } from './emails.ts';

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
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

type Check = { ok: true; deviceName?: string; remainingCodes?: number } | { ok: false; detail: string };

async function check(services: Services, a: SecondFactorAttempt): Promise<Check> {
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

export async function verifySecondFactor(services: Services, a: SecondFactorAttempt): Promise<SecondFactorResult> {
  const { db, log } = services;
  const event = { accountId: a.accountId, siteId: a.site.id, ip: a.ip, userAgent: a.userAgent };
  const wait = await services.secondFactorThrottle.waitSeconds(a.accountId);
  if (wait > 0) {
    await recordSecurityEvent(db, log, { ...event, event: 'second_factor_throttled', detail: { method: a.method, retryAfterSeconds: wait } });
    return { ok: false, reason: 'throttled', retryAfterSeconds: wait };
  }

  const outcome = await check(services, a);
  if (!outcome.ok) {
    await services.secondFactorThrottle.failed(a.accountId);
    await recordSecurityEvent(db, log, { ...event, event: 'second_factor_failed', detail: { method: a.method, reason: outcome.detail } });
    return { ok: false, reason: 'wrong' };
  }

  await services.secondFactorThrottle.succeeded(a.accountId);
  await recordSecurityEvent(db, log, { ...event, event: 'second_factor_passed', detail: { method: a.method, device: outcome.deviceName ?? null } });
  if (a.method === 'recovery_code') {
    await recordSecurityEvent(db, log, { ...event, event: 'recovery_code_used', detail: { remaining: outcome.remainingCodes ?? 0 } });
    const loginUrl = `${services.config.publicUrl.origin}/${a.site.slug}/login`;
    const mail = recoveryCodeUsedEmail({ siteName: a.site.name, loginUrl, remaining: outcome.remainingCodes ?? 0 });
    await enqueueMail(db, services.keys.encryption, { to: a.email, kind: 'recovery_code_used', ...mail });
    services.mail.kick();
  }
  return { ok: true, method: a.method, ...(outcome.deviceName ? { deviceName: outcome.deviceName } : {}) };
}
