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

/**
 * The hidden input the script sets to `yes` as soon as it takes the form over. A form posted
 * without it was posted without the script (JavaScript off, or the script blocked): the server
 * then says security keys need JavaScript, not that the key did not answer, which it cannot
 * otherwise tell apart.
 */
export const WEBAUTHN_SCRIPTED_FIELD = 'webauthn_scripted';

/** What the server says of a security-key form posted without the script (no WEBAUTHN_SCRIPTED_FIELD). */
export const NEEDS_JAVASCRIPT = {
  register: 'Security keys need JavaScript in this browser: turn it on for this site to register one, or add an authenticator app instead.',
  authenticate: 'Security keys need JavaScript in this browser: turn it on for this site, or choose another way to sign in.',
} as const;

/** Whether a security-key form came through the script (it set WEBAUTHN_SCRIPTED_FIELD). */
export const postedByScript = (fields: Readonly<Record<string, string | undefined>>): boolean => (fields[WEBAUTHN_SCRIPTED_FIELD] ?? '') !== '';

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
