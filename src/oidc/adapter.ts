// oidc-provider's storage: one adapter for every model it keeps (sessions, interactions,
// codes, tokens, grants), on the oidc_payload table of the one schema, so both databases and
// every instance share it. The library's ids are its opaque tokens (a code, an access or
// refresh token, a session cookie), so a row is keyed by the id's SHA-256 and the copy of the
// id inside the payload (`jti`) is sealed with SECRET_KEY: a copy of the table opens nothing.
// Clients are not stored here: they are the school's registered integrations (clients.ts).
import { and, eq, sql } from 'drizzle-orm';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/connect.ts';
import { preparedStatement } from '../db/prepared.ts';
import { oidcPayload } from '../db/schema.ts';
import { hashOpaqueToken } from '../lib/opaque-token.ts';
import { open, seal } from '../lib/secret-box.ts';

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

const columns = { payload: oidcPayload.payload, consumedAt: oidcPayload.consumedAt, expiresAt: oidcPayload.expiresAt };
const byId = and(eq(oidcPayload.model, sql.placeholder('model')), eq(oidcPayload.idHash, sql.placeholder('idHash')));

// A whole sign-in finds and saves a dozen of these: built once (db/prepared.ts).
const findQuery = preparedStatement('oidc_payload_find', (db, name) => db.select(columns).from(oidcPayload).where(byId).prepare(name));
const upsertQuery = preparedStatement('oidc_payload_upsert', (db, name) => {
  const value = (key: string) => sql.placeholder(key);
  return db
    .insert(oidcPayload)
    .values({
      model: value('model'),
      idHash: value('idHash'),
      payload: value('payload'),
      grantId: value('grantId'),
      userCode: value('userCode'),
      uid: value('uid'),
      // Not through the column's mapping, which cannot carry null (a model that never expires).
      expiresAt: sql`${value('expiresAt')}::timestamptz`,
    })
    .onConflictDoUpdate({
      target: [oidcPayload.model, oidcPayload.idHash],
      set: {
        payload: sql`excluded.payload`,
        grantId: sql`excluded.grant_id`,
        userCode: sql`excluded.user_code`,
        uid: sql`excluded.uid`,
        expiresAt: sql`excluded.expires_at`,
      },
    })
    .prepare(name);
});

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
      await upsertQuery(db).execute({
        model,
        idHash: hashOpaqueToken(id),
        payload: { ...rest, ...(jti ? { sealedJti: seal(key, jti) } : {}) },
        // A grant's own row carries its id as its grant: auth/oidc-grants.ts removes it with its tokens.
        grantId: payload.grantId ?? (model === 'Grant' ? id : null),
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expiresAt: expiresIn ? new Date(now().getTime() + expiresIn * 1000).toISOString() : null,
      });
    },
    async find(id) {
      const [row] = await findQuery(db).execute({ model, idHash: hashOpaqueToken(id) });
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
