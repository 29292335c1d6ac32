import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { eq } from 'drizzle-orm';
import { openEmbeddedAsOwner, embeddedPaths } from './zz-embedded.ts';
import { trust } from '../db/schema.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'probe-'));
const owner = await openEmbeddedAsOwner(dir, { serve: true });
const p = embeddedPaths(dir);
const client = new pg.Client({ host: p.socketDir, port: 5432, user: 'postgres', database: 'postgres' });
await client.connect();

// (b) a socket client's transaction swallows the server's own write
await client.query('begin');
await client.query(`insert into trust (name) values ('cli-write')`);
await owner.db.insert(trust).values({ name: 'server-write' });
await client.query('rollback');
const b = await owner.db.select().from(trust).where(eq(trust.name, 'server-write'));
console.log('(b) server write survived the CLI rollback:', b.length === 1);

// (a) a socket client's write lands inside the server's transaction
let release!: () => void;
const gate = new Promise<void>((r) => (release = r));
const serverTx = owner.db.transaction(async (tx) => {
  await tx.insert(trust).values({ name: 'server-tx' });
  await gate;
  throw new Error('server rolls back');
}).catch(() => {});
await new Promise((r) => setTimeout(r, 100));
const clientInsert = client.query(`insert into trust (name) values ('cli-autocommit')`).then(() => 'done', (e) => 'error ' + e.message);
const raced = await Promise.race([clientInsert, new Promise((r) => setTimeout(() => r('waiting'), 500))]);
console.log('(a) CLI insert during server transaction:', raced);
release();
await serverTx;
console.log('(a) CLI insert after:', await clientInsert);
const a = await owner.db.select().from(trust).where(eq(trust.name, 'cli-autocommit'));
console.log('(a) CLI autocommit write survived the server rollback:', a.length === 1);
await client.end();
await owner.close();
