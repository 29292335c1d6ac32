// Recovery codes: ten single-use codes, usable in place of a device, folded away at the second
// step under "Use a recovery code"; each use logged and emailed. They own no device. amr `otp`:
// RFC 8176 has no value for them, and each is a one-time password in the RFC's plain sense (its
// list of specifications only "includes" RFC 4226 and 6238); `mfa` says several factors were
// used, which is the session's to claim, not one method's.
import { signInUrl } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import { recoveryCodeUsedEmail } from '../../flows/second-factor/emails.ts';
import { countUnusedRecoveryCodes, RECOVERY_CODE_COUNT, useRecoveryCode } from '../../methods/recovery-codes/index.ts';
import type { SecondFactor } from '../second-factor.ts';

export const recoveryCode: SecondFactor = {
  id: 'recovery_code',
  amr: ['otp'],
  devices: [],
  answer: [{ name: 'code', maxLength: 64 }],

  async offer({ db }, { accountId }) {
    if ((await countUnusedRecoveryCodes(db, accountId)) === 0) return undefined;
    return {
      nodes: [{ node: 'text-field', id: 'recovery-code', name: 'code', label: 'Recovery code', autocomplete: 'off', spellcheck: false, maxlength: 40 }],
      submit: 'Use recovery code',
      folded: 'Use a recovery code',
    };
  },

  async verify({ db, keys }, attempt, answer) {
    const r = await useRecoveryCode(db, keys.recoveryCodes, attempt.accountId, answer.code ?? '');
    if (!r.ok) return { ok: false, detail: 'wrong' };
    return {
      ok: true,
      async afterPass(services, a) {
        const who = { accountId: a.accountId, siteId: a.site.id, ip: a.ip, userAgent: a.userAgent };
        await recordSecurityEvent(services.db, services.log, { ...who, event: 'recovery_code_used', detail: { remaining: r.remaining } });
        const mail = recoveryCodeUsedEmail({ siteName: a.site.name, loginUrl: signInUrl(services.config.publicUrl, a.site.slug), remaining: r.remaining });
        await enqueueMail(services.db, services.keys.encryption, { to: a.email, kind: 'recovery_code_used', siteId: a.site.id, ...mail });
        services.mail.kick();
      },
    };
  },

  refusal: { message: 'That recovery code is not right, or has already been used.' },

  async settings({ db }, { accountId, anyDevice }) {
    // They stand in for a device: without one there is nothing to show.
    if (!anyDevice) return undefined;
    const unused = await countUnusedRecoveryCodes(db, accountId);
    return {
      heading: 'Recovery codes',
      id: 'codes-heading',
      text: `${unused} of ${RECOVERY_CODE_COUNT} recovery codes unused. Each lets you sign in once without your device.`,
      action: { path: 'recovery-codes', label: 'Make new recovery codes' },
    };
  },
};
