// The authenticator-app method (RFC 6238 TOTP, with otpauth): secrets, the enrolment QR code,
// checking a code, and the database side (enrolling a device, verifying a code once).
export { checkTotpCode, type TotpCheck, type TotpFailure } from './check-totp-code.ts';
export { deviceName } from './device-name.ts';
export { enrolTotpDevice, type TotpEnrolment, type TotpEnrolmentResult } from './enrol-totp-device.ts';
export { formatSecretForTyping } from './format-secret-for-typing.ts';
export { newTotpSecret } from './new-totp-secret.ts';
export { normaliseTotpCode } from './normalise-totp-code.ts';
export { TOTP_QR_PIXELS, totpQrDataUrl } from './totp-qr-data-url.ts';
export { TOTP_ISSUER, TOTP_SETTINGS, TOTP_WINDOW } from './totp-settings.ts';
export { totpUri } from './totp-uri.ts';
export { type TotpVerification, verifyTotpForAccount } from './verify-totp-for-account.ts';
