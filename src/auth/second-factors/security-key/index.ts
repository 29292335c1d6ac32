// A security key or passkey (WebAuthn): a button that runs the ceremony in the browser
// (/static/js/webauthn.js), its answer checked once against the challenge kept for this
// pending sign-in or session. amr `hwk` (RFC 8176: proof of possession of a hardware-secured
// key); never `user` or `pin`, since user verification is "discouraged" so PIN-less U2F keys work.
import {
  finishKeyAuthentication,
  NEEDS_JAVASCRIPT,
  postedByScript,
  relyingParty,
  startKeyAuthentication,
  WEBAUTHN_CREDENTIAL_FIELD,
  WEBAUTHN_FORM_ATTRIBUTE,
  WEBAUTHN_MESSAGE_ATTRIBUTE,
  WEBAUTHN_OPTIONS_ATTRIBUTE,
  WEBAUTHN_SCRIPT,
  WEBAUTHN_SCRIPTED_FIELD,
} from '../../methods/webauthn/index.ts';
import type { DeviceType, SecondFactor } from '../second-factor.ts';

export const securityKeyDevice: DeviceType = {
  kind: 'webauthn',
  names: { adminType: 'Security key', inEmails: 'Security key' },
  removable: true,
};

export const securityKey: SecondFactor = {
  id: 'webauthn',
  amr: ['hwk'],
  devices: [securityKeyDevice],
  // Room for any answer: the method itself refuses one over its size as malformed.
  answer: [
    { name: WEBAUTHN_CREDENTIAL_FIELD, maxLength: 16_384 },
    { name: WEBAUTHN_SCRIPTED_FIELD, maxLength: 8 },
  ],

  async offer({ db, keys, config }, ctx) {
    if (!ctx.has.has(securityKeyDevice.kind)) return undefined;
    const options = await startKeyAuthentication(db, keys.encryption, {
      ownerId: ctx.ceremonyOwnerId,
      accountId: ctx.accountId,
      rp: relyingParty(config.publicUrl),
    });
    return {
      nodes: [
        { node: 'hidden', name: WEBAUTHN_CREDENTIAL_FIELD, value: '' },
        { node: 'script-message', attribute: WEBAUTHN_MESSAGE_ATTRIBUTE },
      ],
      submit: 'Use a security key',
      script: { src: WEBAUTHN_SCRIPT, attributes: { [WEBAUTHN_FORM_ATTRIBUTE]: 'authenticate', [WEBAUTHN_OPTIONS_ATTRIBUTE]: JSON.stringify(options) } },
    };
  },

  async verify({ db, keys, config }, attempt, answer) {
    // The form field's text as sent: the method checks its size and shape before parsing.
    const r = await finishKeyAuthentication(db, keys.encryption, {
      ownerId: attempt.ceremonyOwnerId,
      accountId: attempt.accountId,
      response: answer[WEBAUTHN_CREDENTIAL_FIELD] ?? '',
      rp: relyingParty(config.publicUrl),
    });
    if (r.ok) return { ok: true, deviceName: r.deviceName };
    // Posted without the page's script (JavaScript off): no key was asked, so say what is missing, not that the key failed.
    const noScript = (answer[WEBAUTHN_CREDENTIAL_FIELD] ?? '') === '' && !postedByScript(answer);
    return noScript ? { ok: false, detail: 'no_script', refusal: { message: NEEDS_JAVASCRIPT.authenticate } } : { ok: false, detail: r.reason };
  },

  refusal: { message: 'That security key was not accepted. Try again, or choose another way.' },

  async settings(_services, { devices }) {
    return {
      heading: 'Security keys',
      id: 'keys-heading',
      text: 'A USB or NFC security key (U2F or FIDO2), or a passkey on this computer or phone.',
      devices: { caption: 'Security keys', rows: devices },
      add: { path: 'key/new', label: 'Register a new security key' },
    };
  },
};
