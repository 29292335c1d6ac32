// The WebAuthn method: security keys (FIDO U2F keys, FIDO2 keys and passkeys) as a second factor,
// with @simplewebauthn/server. Each ceremony has two halves: start (options for the page, a
// challenge kept server-side) and finish (the browser's answer checked, once). The page's part is
// /static/js/webauthn.js (web/browser/webauthn.ts), driven by the attributes in browser-form.ts.

export type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
export { type AccountKey, accountKeys } from './account-keys.ts';
export * from './browser-form.ts';
export { MAX_CREDENTIAL_JSON_CHARS, parseCredentialJson } from './credential-json.ts';
export {
  type FinishKeyAuthentication,
  finishKeyAuthentication,
  type KeyAuthenticationRefusal,
  type KeyAuthenticationResult,
} from './finish-key-authentication.ts';
export { type FinishKeyRegistration, finishKeyRegistration, type KeyRegistrationRefusal, type KeyRegistrationResult } from './finish-key-registration.ts';
export { type RelyingParty, relyingParty } from './relying-party.ts';
export { type StartKeyAuthentication, startKeyAuthentication } from './start-key-authentication.ts';
export { type StartKeyRegistration, startKeyRegistration } from './start-key-registration.ts';
