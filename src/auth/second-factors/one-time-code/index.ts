// A six-digit code from an authenticator app or a managed token (or the code a Gatehouse
// Authenticator shows, offline): one Code field whichever the account has, checked against all
// of them (verifyTotpForAccount), each code once. amr `otp` (RFC 8176: RFC 6238 codes).
import { verifyTotpForAccount } from '../../methods/totp/index.ts';
import { gatehouseAuthenticator } from '../push/device-type.ts';
import type { DeviceKind, Refusal, SecondFactor } from '../second-factor.ts';
import { authenticatorApp, managedToken } from './device-types.ts';

export const INCORRECT_CODE = 'Incorrect or out of date code';
/** The code is right, and was accepted a moment ago (the enrolment's, or another tab's): each code works once. */
export const CODE_JUST_USED: Refusal = {
  message: 'That code has just been used. Wait for the next one',
  advice: 'Each code works once. Your app or token shows a new one within 30 seconds: enter that one.',
};
export const CLOCK_ADVICE =
  "If this keeps happening, the date and time on your phone may be slightly out: set them to update automatically (in your phone's settings, Date & time > Set automatically), then try the new code.";

/** The Code field's label and hint, in the words of what the account has: an app, a security token (a managed one), or both. */
function codeField(has: ReadonlySet<DeviceKind>): { label: string; hint: string } {
  const app = has.has(authenticatorApp.kind) || has.has(gatehouseAuthenticator.kind);
  if (!has.has(managedToken.kind)) return { label: 'Code', hint: 'Open the authenticator app on your registered device and enter the 6-digit code it shows.' };
  if (!app) return { label: 'Code shown on your security token', hint: 'Enter the 6-digit code your security token shows.' };
  return {
    label: 'Code from your authenticator app or security token',
    hint: 'Open the authenticator app on your registered device, or look at your security token, and enter the 6-digit code it shows.',
  };
}

const DEVICES = [authenticatorApp, managedToken];

export const oneTimeCode: SecondFactor = {
  id: 'totp',
  amr: ['otp'],
  devices: DEVICES,
  answer: [{ name: 'code', maxLength: 64 }],

  async offer(_services, { has }) {
    if (![...DEVICES, gatehouseAuthenticator].some((d) => has.has(d.kind))) return undefined;
    return {
      nodes: [{ node: 'text-field', id: 'code', name: 'code', ...codeField(has), inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 12 }],
      submit: 'Authenticate',
    };
  },

  async verify({ db, keys }, attempt, answer) {
    const r = await verifyTotpForAccount(db, keys.encryption, attempt.accountId, answer.code ?? '');
    if (r.ok) return { ok: true, deviceName: r.deviceName };
    // A replay is still refused (and counted), but the person is told what happened, not to blame their clock.
    return r.reason === 'replayed' ? { ok: false, detail: r.reason, refusal: CODE_JUST_USED } : { ok: false, detail: r.reason };
  },

  refusal: { message: INCORRECT_CODE, advice: CLOCK_ADVICE },

  async settings(_services, { devices }) {
    return {
      heading: 'Authenticator app',
      id: 'app-heading',
      text: 'This uses an authenticator app on your tablet or mobile (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…) to make one-time codes for logging in.',
      devices: { caption: 'Authenticator apps', rows: devices },
      add: { path: 'authenticator/new', label: 'Add new device' },
    };
  },
};
