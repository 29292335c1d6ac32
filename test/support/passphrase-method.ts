// For the registry's test only: a second-factor method Gatehouse has never had (a passphrase
// known to the account), written against the interface alone, as a new method's folder would be.
import type { SecondFactor } from '../../src/auth/second-factors/index.ts';
import { sameText } from '../../src/lib/keys.ts';

export const PASSPHRASE = 'correct horse';
export const PASSPHRASE_REFUSED = 'That passphrase is not the one.';

export const passphrase: SecondFactor = {
  id: 'passphrase',
  amr: ['kba'],
  devices: [],
  answer: [{ name: 'phrase', maxLength: 100 }],
  async offer(_services, { has }) {
    if (has.size === 0) return undefined;
    return {
      nodes: [
        { node: 'text', text: 'Or type the passphrase you were given.' },
        { node: 'text-field', id: 'phrase', name: 'phrase', label: 'Passphrase', autocomplete: 'off', maxlength: 100 },
      ],
      submit: 'Use the passphrase',
    };
  },
  async verify(_services, _attempt, answer) {
    return sameText(answer.phrase ?? '', PASSPHRASE) ? { ok: true, deviceName: 'the passphrase' } : { ok: false, detail: 'wrong' };
  },
  refusal: { message: PASSPHRASE_REFUSED },
  async settings() {
    return { heading: 'Passphrase', id: 'passphrase-heading', text: 'A passphrase you were given, for when your device is not at hand.' };
  },
};
