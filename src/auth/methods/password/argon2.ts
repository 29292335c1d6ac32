// Password hashing: argon2id, parameters from settings (never below OWASP's floor), stored
// with each hash as a PHC string so that a raised setting upgrades hashes at the next sign-in.
import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';

export interface Argon2Params {
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

const ARGON2ID = 2 as Algorithm; // the enum is const, which isolated modules cannot read

/** NIST SP 800-63B: compare passwords in one Unicode form, so "é" typed either way matches. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

export function hashPassword(password: string, params: Argon2Params): Promise<string> {
  return hash(normalisePassword(password), {
    algorithm: ARGON2ID,
    memoryCost: params.memoryKiB,
    timeCost: params.iterations,
    parallelism: params.parallelism,
  });
}

/** False for a wrong password and for a hash that cannot be read; never throws on bad input. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, normalisePassword(password));
  } catch {
    return false;
  }
}

/** True when the stored hash is weaker than (or different from) what the settings ask for now. */
export function needsRehash(phc: string, params: Argon2Params): boolean {
  try {
    const o = parseOptions(phc);
    return o.algorithm !== ARGON2ID || o.memoryCost < params.memoryKiB || o.timeCost < params.iterations || o.parallelism !== params.parallelism;
  } catch {
    return true;
  }
}

/** A hash of nothing anyone knows: verified against when an email has no account, to cost the same. */
export function hashForUnknownAccounts(params: Argon2Params): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64'), params);
}
