import { describe, expect, it } from 'vitest';
import { checkTotpCode } from './check-totp-code.ts';
import { codeAt, stepAt } from './testing/reference-totp.ts';

// Fixed, so that no code of the window happens to equal one outside it.
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const NOW = new Date('2026-03-10T09:15:12Z');
const STEP = stepAt(NOW);
const fresh = { now: NOW, lastStep: null };

describe('checkTotpCode', () => {
  it('accepts the code of this step, the one before and the one after, and says which step', () => {
    for (const offset of [-1, 0, 1]) {
      expect(checkTotpCode(SECRET, codeAt(SECRET, NOW, offset), fresh)).toEqual({ ok: true, step: STEP + offset });
    }
  });

  it('refuses codes two steps away either side', () => {
    for (const offset of [-2, 2]) {
      expect(checkTotpCode(SECRET, codeAt(SECRET, NOW, offset), fresh)).toEqual({ ok: false, reason: 'wrong' });
    }
  });

  it('accepts anywhere inside the 30 seconds of a step', () => {
    const start = new Date(STEP * 30_000);
    const end = new Date(STEP * 30_000 + 29_999);
    expect(checkTotpCode(SECRET, codeAt(SECRET, NOW), { now: start, lastStep: null }).ok).toBe(true);
    expect(checkTotpCode(SECRET, codeAt(SECRET, NOW), { now: end, lastStep: null }).ok).toBe(true);
  });

  it('refuses a wrong code, and the right code of another secret', () => {
    const code = codeAt(SECRET, NOW);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(checkTotpCode(SECRET, wrong, fresh)).toEqual({ ok: false, reason: 'wrong' });
    expect(checkTotpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', code, fresh)).toEqual({ ok: false, reason: 'wrong' });
  });

  it('refuses a replay: the step last accepted, and any earlier one', () => {
    expect(checkTotpCode(SECRET, codeAt(SECRET, NOW), { now: NOW, lastStep: STEP })).toEqual({ ok: false, reason: 'replayed' });
    expect(checkTotpCode(SECRET, codeAt(SECRET, NOW, -1), { now: NOW, lastStep: STEP })).toEqual({ ok: false, reason: 'replayed' });
    expect(checkTotpCode(SECRET, codeAt(SECRET, NOW, -1), { now: NOW, lastStep: STEP - 1 })).toEqual({ ok: false, reason: 'replayed' });
  });

  it('accepts a newer step than the last one accepted', () => {
    expect(checkTotpCode(SECRET, codeAt(SECRET, NOW), { now: NOW, lastStep: STEP - 1 })).toEqual({ ok: true, step: STEP });
    expect(checkTotpCode(SECRET, codeAt(SECRET, NOW, 1), { now: NOW, lastStep: STEP })).toEqual({ ok: true, step: STEP + 1 });
  });

  it('takes the code as people type it: spaces, a dash, full-width digits', () => {
    const code = codeAt(SECRET, NOW);
    const typed = [
      `${code.slice(0, 3)} ${code.slice(3)}`,
      `${code.slice(0, 3)}-${code.slice(3)}`,
      ` ${code}\t`,
      code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))),
    ];
    for (const t of typed) expect(checkTotpCode(SECRET, t, fresh)).toEqual({ ok: true, step: STEP });
  });

  it('calls anything but six digits malformed', () => {
    const code = codeAt(SECRET, NOW);
    for (const t of ['', '      ', 'abcdef', '12345', '1234567', `${code}0`, 'DROP TABLE', "1' OR '1'='1", '１２３４５'.repeat(10), '1'.repeat(10_000)]) {
      expect(checkTotpCode(SECRET, t, fresh)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
