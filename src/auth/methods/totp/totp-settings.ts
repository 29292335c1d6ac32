// What every authenticator app is told (in the otpauth:// URI) and what Gatehouse checks:
// RFC 6238 with the settings every app supports (Google, Microsoft, 1Password, Aegis…).
export const TOTP_ISSUER = 'Gatehouse';

export const TOTP_SETTINGS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** Steps either side of now that are still accepted: a phone's clock may be a little off. */
export const TOTP_WINDOW = 1;
