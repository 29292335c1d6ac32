// oidc-provider's storage: one adapter for every model it keeps (sessions, interactions,
// codes, tokens, grants), on the oidc_payload table of the one schema, so both databases and
// every instance share it. The library's ids are its opaque tokens (a code, an access or
// refresh token, a session cookie), so a row is keyed by the id's SHA-256 and the copy of the
// id inside the payload (`jti`) is sealed with SECRET_KEY: a copy of the table opens nothing.
// Clients are not stored here: they are the school's registered integrations (clients.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { type Adapter, type AdapterPayload, errors } from 'oidc-provider';
import type { Db } from '../db/connect.ts';
import { jsonRows } from '../db/json-rows.ts';
import { oneStatement, type Statement } from '../db/one-statement.ts';
import { preparedStatement } from '../db/prepared.ts';
import { oidcPayload } from '../db/schema.ts';
import { hashOpaqueToken } from '../lib/opaque-token.ts';
import { open, seal } from '../lib/secret-box.ts';

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

const columns = { payload: oidcPayload.payload, consumedAt: oidcPayload.consumedAt, expiresAt: oidcPayload.expiresAt };
const byId = and(eq(oidcPayload.model, sql.placeholder('model')), eq(oidcPayload.idHash, sql.placeholder('idHash')));

// A whole sign-in finds and saves a dozen of these: built once (db/prepared.ts).
const findQuery = preparedStatement('oidc_payload_find', (db, name) => db.select(columns).from(oidcPayload).where(byId).prepare(name));
type Row = { model: string; id_hash: string };
/** A row as saved, under its columns' names: the prepared upsert's parameters, and a held write's JSON row. */
type SavedRow = Row & { payload: Record<string, unknown>; grant_id: string | null; user_code: string | null; uid: string | null; expires_at: string | null };

const upsertQuery = preparedStatement('oidc_payload_upsert', (db, name) => {
  const value = (key: keyof SavedRow) => sql.placeholder(key);
  return db
    .insert(oidcPayload)
    .values({
      model: value('model'),
      idHash: value('id_hash'),
      payload: value('payload'),
      grantId: value('grant_id'),
      userCode: value('user_code'),
      uid: value('uid'),
      // Not through the column's mapping, which cannot carry null (a model that never expires).
      expiresAt: sql`${value('expires_at')}::timestamptz`,
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

const consumeQuery = preparedStatement('oidc_payload_consume', (db, name) =>
  db
    .update(oidcPayload)
    .set({ consumedAt: sql`now()` })
    .where(and(byId, isNull(oidcPayload.consumedAt)))
    .returning({ model: oidcPayload.model })
    .prepare(name),
);

/** Held writes as statements: each kind, however many rows, one statement with one parameter (db/json-rows.ts). */
function payloadWrites(saved: SavedRow[], destroyed: Row[]): Statement[] {
  const keys = (rows: Row[]) =>
    sql`(${oidcPayload.model}, ${oidcPayload.idHash}) in (select model, id_hash from ${jsonRows(rows, 'model text, id_hash text')})`;
  return [
    ...(saved.length
      ? [
          sql`insert into ${oidcPayload} (model, id_hash, payload, grant_id, user_code, uid, expires_at)
              select model, id_hash, payload, grant_id, user_code, uid, expires_at
              from ${jsonRows(saved, 'model text, id_hash text, payload jsonb, grant_id text, user_code text, uid text, expires_at timestamptz')}
              on conflict (model, id_hash) do update set payload = excluded.payload, grant_id = excluded.grant_id,
                user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at`,
        ]
      : []),
    ...(destroyed.length ? [sql`delete from ${oidcPayload} where ${keys(destroyed)}`] : []),
  ];
}

/**
 * Writes held back while a request's work runs, and sent together as one statement (oneStatement)
 * when it is done, or sooner: before anything reads or changes a row with a write held back (a
 * find of it, a second write of it, a look-up by uid or grant), so every statement sees what was
 * written before it, as if each had been sent at once, and none changes a row twice.
 */
class HeldWrites {
  private readonly saved: SavedRow[] = [];
  private readonly destroyed: Row[] = [];
  private readonly ours: Statement[] = [];
  private readonly rows = new Set<string>();

  constructor(private readonly db: Db) {}

  holds(row: Row): boolean {
    return this.rows.has(`${row.model} ${row.id_hash}`);
  }

  save(row: SavedRow): Promise<void> {
    return this.hold(this.saved, row);
  }

  destroy(row: Row): Promise<void> {
    return this.hold(this.destroyed, row);
  }

  private async hold<T extends Row>(writes: T[], row: T): Promise<void> {
    if (this.holds(row)) await this.send();
    writes.push(row);
    this.rows.add(`${row.model} ${row.id_hash}`);
  }

  addOurs(statements: Statement[]): void {
    this.ours.push(...statements);
  }

  async send(): Promise<void> {
    // Built (the rows made JSON) before the lists are emptied for what comes next.
    const statements = [...this.ours, ...payloadWrites(this.saved, this.destroyed)];
    this.saved.length = 0;
    this.destroyed.length = 0;
    this.ours.length = 0;
    this.rows.clear();
    if (statements.length) await this.db.execute(oneStatement(statements));
  }
}

const held = new AsyncLocalStorage<HeldWrites>();

/**
 * Runs `work` with the adapter's writes (and alsoWrite's) held back, and sends them once it is
 * done, whether it succeeded or not (as they would have been sent had nothing been held): a
 * provider request's session, code and tokens, or a sign-in's grant, its record and log line and
 * the interaction's answer, each in one round trip rather than one each. Sent before the answer
 * leaves, so the system never holds a code or token that is not stored.
 */
export async function writeTogether<T>(db: Db, work: () => Promise<T>): Promise<T> {
  const writes = new HeldWrites(db);
  let result: T;
  try {
    result = await held.run(writes, work);
  } catch (err) {
    // The work's own failure is the one to report; what it wrote before failing is still sent.
    await writes.send().catch(() => {});
    throw err;
  }
  await writes.send();
  return result;
}

/** Statements of ours that belong with the provider's writes: held back inside writeTogether, else sent at once. */
export async function alsoWrite(db: Db, statements: Statement[]): Promise<void> {
  const writes = held.getStore();
  if (writes) writes.addOurs(statements);
  else await db.execute(oneStatement(statements));
}

export function createPayloadAdapter(db: Db, key: Buffer, model: string, now: () => Date = () => new Date()): Adapter {
  const where = (idHash: string) => and(eq(oidcPayload.model, model), eq(oidcPayload.idHash, idHash));
  /** Before a read of row `idHash` (or, without one, of rows found otherwise): what is held back for it is sent. */
  const beforeReading = async (idHash?: string) => {
    const writes = held.getStore();
    if (writes && (idHash === undefined || writes.holds({ model, id_hash: idHash }))) await writes.send();
  };

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
    await beforeReading();
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
      const row: SavedRow = {
        model,
        id_hash: hashOpaqueToken(id),
        payload: { ...rest, ...(jti ? { sealedJti: seal(key, jti) } : {}) },
        // A grant's own row carries its id as its grant: auth/oidc-grants.ts removes it with its tokens.
        grant_id: payload.grantId ?? (model === 'Grant' ? id : null),
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresIn ? new Date(now().getTime() + expiresIn * 1000).toISOString() : null,
      };
      const writes = held.getStore();
      if (writes) await writes.save(row);
      else await upsertQuery(db).execute(row);
    },
    async find(id) {
      const idHash = hashOpaqueToken(id);
      await beforeReading(idHash);
      const [row] = await findQuery(db).execute({ model, idHash });
      return stored(row);
    },
    findByUid: (uid) => findBy(oidcPayload.uid, uid),
    findByUserCode: (userCode) => findBy(oidcPayload.userCode, userCode),
    async consume(id) {
      const idHash = hashOpaqueToken(id);
      await beforeReading(idHash);
      // A code or refresh token is used once. The provider finds it unused and consumes it a few
      // statements later: of two requests presenting it at that moment, only the first to consume
      // it goes on, at once and never held back; the other is refused as a use a moment later is.
      const [used] = await consumeQuery(db).execute({ model, idHash });
      if (!used) throw new errors.InvalidGrant(`${model === 'AuthorizationCode' ? 'authorization code' : 'refresh token'} already consumed`);
    },
    async destroy(id) {
      const idHash = hashOpaqueToken(id);
      const writes = held.getStore();
      if (writes) await writes.destroy({ model, id_hash: idHash });
      else await db.delete(oidcPayload).where(where(idHash));
    },
    async revokeByGrantId(grantId) {
      // Any of the grant's rows may have a write held back: those go first.
      await beforeReading();
      await db.delete(oidcPayload).where(and(eq(oidcPayload.model, model), eq(oidcPayload.grantId, grantId)));
    },
  };
}
