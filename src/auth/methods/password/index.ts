// The password method: hashing behind a bounded gate, and a check that costs one hash
// whether or not the account exists (so timing tells a stranger nothing).
import { type Argon2Params, hashForUnknownAccounts, hashPassword, needsRehash, verifyPassword } from './argon2.ts';
import { HashingGate } from './hashing-gate.ts';

export type { Argon2Params } from './argon2.ts';
export { HashingBusy, HashingGate } from './hashing-gate.ts';

export interface PasswordCheck {
  ok: boolean;
  /** A new hash with today's parameters, when the stored one was made with weaker ones. */
  upgradedHash?: string;
}

export class PasswordMethod {
  private constructor(
    readonly params: Argon2Params,
    readonly gate: HashingGate,
    private readonly unknownAccountHash: string,
  ) {}

  static async create(params: Argon2Params, gate = new HashingGate()): Promise<PasswordMethod> {
    return new PasswordMethod(params, gate, await hashForUnknownAccounts(params));
  }

  hash(password: string): Promise<string> {
    return this.gate.run(() => hashPassword(password, this.params));
  }

  /** Whether the password is one of these stored hashes (a reset may not reuse the last five). */
  async matchesAny(password: string, storedHashes: string[]): Promise<boolean> {
    for (const stored of storedHashes) {
      if (await this.gate.run(() => verifyPassword(stored, password))) return true;
    }
    return false;
  }

  /** Throws HashingBusy when the service is at capacity: the caller answers 503, not "wrong password". */
  async check(storedHash: string | null, password: string, { priority = false }: { priority?: boolean } = {}): Promise<PasswordCheck> {
    const ok = await this.gate.run(() => verifyPassword(storedHash ?? this.unknownAccountHash, password), { priority });
    if (!ok || storedHash === null) return { ok: false };
    if (!needsRehash(storedHash, this.params)) return { ok: true };
    return { ok: true, upgradedHash: await this.hash(password) };
  }
}
