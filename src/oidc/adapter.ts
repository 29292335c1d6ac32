// oidc-provider's storage: one adapter for every model it keeps (sessions, interactions,
// codes, tokens, grants), on the oidc_payload table of the one schema, so both databases and
// every instance share it. The library's ids are its opaque tokens (a code, an access or
// refresh token, a session cookie), so a row is keyed by the id's SHA-256 and the copy of the
// id inside the payload (`jti`) is sealed with SECRET_KEY: a copy of the table opens nothing.
// Clients are not stored here: they are the school's registered integrations (clients.ts).
import { and, eq, sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/connect.ts';
import { oidcPayload } from '../db/schema.ts';
import { hashOpaqueToken } from '../lib/opaque-token.ts';
import { open, seal } from '../lib/secret-box.ts';

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

export function createPayloadAdapter(db: Db, key: Buffer, model: string, now: () => Date = () => new Date()): Adapter {
  const where = (id: string) => and(eq(oidcPayload.model, model), eq(oidcPayload.idHash, hashOpaqueToken(id)));

  function stored(row: { payload: Record<string, unknown>; consumedAt: Date | null; expiresAt: Date | null } | undefined): AdapterPayload | undefined {
    if (!row || (row.expiresAt && row.expiresAt <= now())) return undefined;
    const { sealedJti, ...payload } = row.payload as Record<string, unknown> & { sealedJti?: string };
    return {
      ...payload,
      ...(typeof sealedJti === 'string' ? { jti: open(key, sealedJti) } : {}),
      ...(row.consumedAt ? { consumed: epoch(row.consumedAt) } : {}),
    } as AdapterPayload;
  }

  const columns = { payload: oidcPayload.payload, consumedAt: oidcPayload.consumedAt, expiresAt: oidcPayload.expiresAt };
  async function findBy(column: typeof oidcPayload.uid | typeof oidcPayload.userCode, value: string) {
    const [row] = await db
      .select(columns)
      .from(oidcPayload)
      .where(and(eq(oidcPayload.model, model), eq(column, value)))
      .limit(1);
    return stored(row);
  }

  return {
    async upsert(id, payload, expiresIn) {
      const { jti, ...rest } = payload as AdapterPayload & { jti?: string };
      const row = {
        payload: { ...rest, ...(jti ? { sealedJti: seal(key, jti) } : {}) } as Record<string, unknown>,
        // A grant's own row carries its id as its grant: auth/oidc-grants.ts removes it with its tokens.
        grantId: payload.grantId ?? (model === 'Grant' ? id : null),
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expiresAt: expiresIn ? new Date(now().getTime() + expiresIn * 1000) : null,
      };
      await db
        .insert(oidcPayload)
        .values({ model, idHash: hashOpaqueToken(id), ...row })
        .onConflictDoUpdate({ target: [oidcPayload.model, oidcPayload.idHash], set: row });
    },
    async find(id) {
      const [row] = await db.select(columns).from(oidcPayload).where(where(id));
      return stored(row);
    },
    findByUid: (uid) => findBy(oidcPayload.uid, uid),
    findByUserCode: (userCode) => findBy(oidcPayload.userCode, userCode),
    async consume(id) {
      await db.update(oidcPayload).set({ consumedAt: sql`now()` }).where(where(id));
    },
    async destroy(id) {
      await db.delete(oidcPayload).where(where(id));
    },
    async revokeByGrantId(grantId) {
      await db.delete(oidcPayload).where(and(eq(oidcPayload.model, model), eq(oidcPayload.grantId, grantId)));
    },
  };
}
