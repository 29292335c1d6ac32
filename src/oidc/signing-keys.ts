// The provider's signing keys: made on first start, kept sealed with SECRET_KEY in the
// database (so every instance signs with the same key), rotated with `gatehouse keys rotate`.
// The newest key signs; a retired key stays in the JWKS until every ID token and logout token
// it signed has expired, so a relying party that cached the JWKS keeps verifying them. Running
// instances take a rotation up without a restart (oidc/service.ts).
import { randomUUID } from 'node:crypto';
import { desc, isNull, lt, or, sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Db } from '../db/connect.ts';
import { oidcSigningKey } from '../db/schema.ts';
import { notifyWakeup } from '../db/wakeups.ts';
import { open, seal } from '../lib/secret-box.ts';

/** RS256: what every relying party verifies (the discovery document's one signing algorithm). */
const ALG = 'RS256';

/** The wake-up (db/wakeups.ts) every instance hears when the keys change: oidc/service.ts reloads them. */
export const SIGNING_KEYS_CHANGED = 'oidc_signing_keys';

/** How long a retired key is still published: the longest life of anything it signed, and a margin. */
export const RETIRED_KEY_PUBLISHED_MS = 2 * 3_600_000;

async function newKey(db: Db, key: Buffer): Promise<string> {
  const { privateKey } = await generateKeyPair(ALG, { extractable: true, modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' };
  await db.insert(oidcSigningKey).values({ kid, sealedJwk: seal(key, JSON.stringify(jwk)) });
  return kid;
}

/** The keys to publish, the signing one first; made when there is none (first start). */
export async function loadSigningKeys(db: Db, key: Buffer, now = new Date()): Promise<JWK[]> {
  const read = () =>
    db
      .select()
      .from(oidcSigningKey)
      .where(
        or(
          isNull(oidcSigningKey.retiredAt),
          sql`${oidcSigningKey.retiredAt} > ${new Date(now.getTime() - RETIRED_KEY_PUBLISHED_MS).toISOString()}::timestamptz`,
        ),
      )
      .orderBy(sql`${oidcSigningKey.retiredAt} is not null`, desc(oidcSigningKey.createdAt), desc(oidcSigningKey.kid));
  let rows = await read();
  if (!rows.some((r) => r.retiredAt === null)) {
    // Two instances starting at once may both make one: both are published, and both sign
    // with the same (the newest, by the same order).
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(7305046455616912)`);
      const [active] = await tx.select({ kid: oidcSigningKey.kid }).from(oidcSigningKey).where(isNull(oidcSigningKey.retiredAt)).limit(1);
      if (!active) await newKey(tx, key);
    });
    rows = await read();
  }
  return rows.map((r) => JSON.parse(open(key, r.sealedJwk)) as JWK);
}

/**
 * A new signing key; the others are retired (published a while longer, then swept). Every
 * running instance hears of it (SIGNING_KEYS_CHANGED, on commit) and signs with it from then on.
 */
export async function rotateSigningKeys(db: Db, key: Buffer): Promise<{ kid: string; retired: number }> {
  return db.transaction(async (tx) => {
    const retired = await tx
      .update(oidcSigningKey)
      .set({ retiredAt: new Date() })
      .where(isNull(oidcSigningKey.retiredAt))
      .returning({ kid: oidcSigningKey.kid });
    const kid = await newKey(tx, key);
    await notifyWakeup(tx, SIGNING_KEYS_CHANGED);
    return { kid, retired: retired.length };
  });
}

/** Keys retired long enough that nothing they signed is still valid (maintenance/sweeps.ts). */
export function retiredKeysBefore(now: Date) {
  return lt(oidcSigningKey.retiredAt, new Date(now.getTime() - RETIRED_KEY_PUBLISHED_MS));
}
