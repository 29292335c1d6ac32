// What a security-key form carries and /static/js/webauthn.js (web/browser/webauthn.ts) looks
// for: the attributes and the field both sides agree on, and the messages the script shows.
// Plain constants, safe in the browser bundle.

export const WEBAUTHN_SCRIPT = '/static/js/webauthn.js';

/** On the <form>: `register` or `authenticate`. */
export const WEBAUTHN_FORM_ATTRIBUTE = 'data-webauthn';
export type WebAuthnFormMode = 'register' | 'authenticate';

/** On the <form>: the options JSON from startKeyRegistration or startKeyAuthentication. */
export const WEBAUTHN_OPTIONS_ATTRIBUTE = 'data-webauthn-options';

/** On an element inside the form (role="alert"): where the script says what went wrong. */
export const WEBAUTHN_MESSAGE_ATTRIBUTE = 'data-webauthn-message';

/** Set on the <form> by the script once it has taken the form over (`true`), or found WebAuthn missing (`unsupported`). */
export const WEBAUTHN_READY_ATTRIBUTE = 'data-webauthn-ready';

/** The hidden input the script fills with the browser's response (JSON) before submitting. */
export const WEBAUTHN_CREDENTIAL_FIELD = 'credential';

export const WEBAUTHN_MESSAGES = {
  /** A sign-in or elevation that did not complete: cancelled, timed out, no key, wrong key. */
  authenticateFailed: 'The security key did not respond, or the request was cancelled. Try again, or choose another way to sign in.',
  /** A registration that did not complete. */
  registerFailed: 'The security key did not respond, or the request was cancelled. Try again.',
  /** The browser refused the key because it is already registered to this account (excludeCredentials). */
  alreadyRegistered: 'This security key is already registered to your account. To add another, use a different key.',
  /** No WebAuthn in this browser (or not a secure context). */
  unsupportedAuthenticate: 'This browser cannot use security keys. Use an up-to-date Chrome, Edge, Firefox or Safari, or choose another way to sign in.',
  unsupportedRegister: 'This browser cannot use security keys. Use an up-to-date Chrome, Edge, Firefox or Safari to add one.',
} as const;
