// Reading the link of an Add new device QR code: a standard otpauth://totp/ URI (parsed by the
// otpauth package), and, from Gatehouse, one extra parameter `gatehouse_enrol` carrying the
// single-use token with which this app registers its device key. Without it the account still
// gets its codes (as in any RFC 6238 app), but no sign-in requests. Every refusal is a sentence
// for the person holding the phone.
// The bare build: only parsing is needed here (codes come from WebCrypto, totp.ts), not its own HMAC.
import { URI } from 'otpauth/bare';

export type TotpAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-512';

export interface OtpauthAccount {
  /** Who issued it (the otpauth issuer): "Gatehouse", or another service's name. */
  issuer: string;
  /** The account within the issuer, usually an email address. */
  label: string;
  /** The shared secret's bytes: imported at once as a non-extractable key, then dropped. */
  secret: Uint8Array<ArrayBuffer>;
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
  /** Gatehouse's enrolment token, when the link has one. */
  enrolment: string | undefined;
}

export type ParsedLink = { ok: true; account: OtpauthAccount } | { ok: false; message: string };

const ALGORITHMS: Record<string, TotpAlgorithm> = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' };
/** base64url, as the server makes it; length bounds keep nonsense out of the request. */
const ENROLMENT_TOKEN = /^[A-Za-z0-9_-]{16,256}$/;
/** Far above any real link (Gatehouse's is about 200 characters), far below harm. */
const MAX_LINK_LENGTH = 2048;

const NOT_A_LINK =
  'That is not the link of an authenticator QR code. It starts with otpauth://totp/: copy it again from Account Settings > Security keys > Add new device.';

const refuse = (message: string): ParsedLink => ({ ok: false, message });

export function parseOtpauthLink(text: string): ParsedLink {
  const link = text.trim();
  if (link === '') return refuse('Paste the link shown under the QR code, or scan the QR code.');
  if (link.length > MAX_LINK_LENGTH || !/^otpauth:\/\//i.test(link)) return refuse(NOT_A_LINK);
  if (/^otpauth:\/\/hotp\//i.test(link))
    return refuse('That link is for counter-based codes (HOTP), which this app does not show. Gatehouse uses time-based codes.');
  let otp: ReturnType<typeof URI.parse>;
  let params: URLSearchParams;
  try {
    otp = URI.parse(link);
    params = new URL(link).searchParams;
  } catch (error) {
    const why = error instanceof Error ? error.message : '';
    if (/secret/i.test(why)) return refuse('That link has no valid secret in it. Copy the whole link again, or scan the QR code.');
    if (/algorithm/i.test(why)) return refuse('That link asks for a kind of code this app does not know.');
    return refuse(NOT_A_LINK);
  }
  if (!('period' in otp)) return refuse(NOT_A_LINK);
  const algorithm = ALGORITHMS[otp.algorithm.toUpperCase()];
  if (!algorithm) return refuse('That link asks for a kind of code this app does not know.');
  if (otp.digits < 6 || otp.digits > 8) return refuse('That link asks for codes of a length this app does not show (6 to 8 digits).');
  if (otp.period < 15 || otp.period > 300) return refuse('That link asks for codes that change at an interval this app does not support.');
  const secret = new Uint8Array(otp.secret.bytes);
  if (secret.length < 10) return refuse('That link has no valid secret in it. Copy the whole link again, or scan the QR code.');
  const enrolment = params.get('gatehouse_enrol') ?? undefined;
  if (enrolment !== undefined && !ENROLMENT_TOKEN.test(enrolment)) {
    return refuse('The Gatehouse part of that link is damaged. Copy the whole link again, or scan the QR code.');
  }
  return { ok: true, account: { issuer: otp.issuer, label: otp.label, secret, algorithm, digits: otp.digits, period: otp.period, enrolment } };
}
