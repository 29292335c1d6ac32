import { plainText } from '../../../lib/plain-text.ts';

/** A device's name as its owner gives it ("Work phone"): NFKC, trimmed, 1–60 characters, nothing invisible. */
export const deviceName = plainText({ label: 'device name', max: 60, empty: 'Choose a name for the device' });
