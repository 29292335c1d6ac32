import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from './argon2.ts';

const FLOOR = { memoryKiB: 19456, iterations: 2, parallelism: 1 };

describe('argon2id password hashing', () => {
  it('stores argon2id with its parameters in a PHC string', async () => {
    const phc = await hashPassword('correct horse', FLOOR);
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same', FLOOR)).not.toBe(await hashPassword('same', FLOOR));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const phc = await hashPassword('correct horse', FLOOR);
    expect(await verifyPassword(phc, 'correct horse')).toBe(true);
    expect(await verifyPassword(phc, 'correct hors')).toBe(false);
    expect(await verifyPassword(phc, 'Correct horse')).toBe(false);
  });

  it('treats the same Unicode password typed in either normal form as the same (NFKC)', async () => {
    const composed = 'caf\u00e9 au lait';
    const decomposed = 'cafe\u0301 au lait';
    const phc = await hashPassword(composed, FLOOR);
    expect(await verifyPassword(phc, decomposed)).toBe(true);
  });

  it('keeps every character of a long password: no truncation at 72 bytes or anywhere', async () => {
    const long = 'x'.repeat(200);
    const phc = await hashPassword(long, FLOOR);
    expect(await verifyPassword(phc, `${'x'.repeat(199)}y`)).toBe(false);
  });

  it('answers false, not an error, for a stored value that is not a hash', async () => {
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('asks for a rehash when the settings are raised, and not otherwise', async () => {
    const phc = await hashPassword('pw', FLOOR);
    expect(needsRehash(phc, FLOOR)).toBe(false);
    expect(needsRehash(phc, { ...FLOOR, memoryKiB: 65536 })).toBe(true);
    expect(needsRehash(phc, { ...FLOOR, iterations: 3 })).toBe(true);
    expect(needsRehash('$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g', FLOOR)).toBe(true);
    expect(needsRehash('garbage', FLOOR)).toBe(true);
  });
});
