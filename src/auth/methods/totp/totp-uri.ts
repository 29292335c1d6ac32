import { Secret, TOTP } from 'otpauth';
import { TOTP_ISSUER, TOTP_SETTINGS } from './totp-settings.ts';

/**
 * The standard key URI (`otpauth://totp/Gatehouse:<email>?issuer=Gatehouse&secret=…&algorithm=SHA1&digits=6&period=30`)
 * that an authenticator app reads from the QR code. Built by otpauth, which percent-encodes the label.
 */
export function totpUri(secret: string, accountEmail: string): string {
  return new TOTP({ issuer: TOTP_ISSUER, label: accountEmail, secret: Secret.fromBase32(secret), ...TOTP_SETTINGS }).toString();
}
