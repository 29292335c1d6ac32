import QRCode from 'qrcode';

/** The QR image's width and height in pixels (for the <img>'s width and height). */
export const TOTP_QR_PIXELS = 256;

/**
 * The URI as a QR code, a PNG `data:` URL for an <img> (allowed by `img-src data:`): error
 * correction M, the standard quiet zone of 4 modules, 256 px square (enough for any email).
 * Shown only while enrolling: it carries the secret.
 */
export function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { type: 'image/png', errorCorrectionLevel: 'M', margin: 4, width: TOTP_QR_PIXELS });
}
