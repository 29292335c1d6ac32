import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { newTotpSecret } from './new-totp-secret.ts';
import { TOTP_QR_PIXELS, totpQrDataUrl } from './totp-qr-data-url.ts';
import { totpUri } from './totp-uri.ts';

// jsqr is a UMD bundle whose module.exports is the function itself; its types say `export default`.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

function decode(dataUrl: string): string | undefined {
  const png = PNG.sync.read(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('totpQrDataUrl', () => {
  it('is a PNG data URL that decodes back to the URI', async () => {
    const uri = totpUri(newTotpSecret(), 'wendy.abbott@northfield.example');
    const dataUrl = await totpQrDataUrl(uri);
    expect(dataUrl).toMatch(/^data:image\/png;base64,/);
    expect(decode(dataUrl)).toBe(uri);
  });

  it('is the stated size, even for the longest email address', async () => {
    const uri = totpUri(newTotpSecret(), `${'a'.repeat(64)}@${'b'.repeat(185)}.example`);
    const dataUrl = await totpQrDataUrl(uri);
    const png = PNG.sync.read(Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64'));
    expect([png.width, png.height]).toEqual([TOTP_QR_PIXELS, TOTP_QR_PIXELS]);
    expect(decode(dataUrl)).toBe(uri);
  });
});
