// PGlite serves one process. Whoever opens the embedded database first owns it (a lock file
// in DATA_DIR); a running server also serves it on a Unix socket in DATA_DIR, so that the
// `gatehouse` command can add a colleague mid-morning without stopping the service.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, createServer, type Server } from 'node:net';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { type Database, openEmbedded, openPostgresClient } from './connect.ts';
import { isolateSocketTransactions } from './isolate-socket-transactions.ts';

const SOCKET_PORT = 5432; // only names the socket file (.s.PGSQL.5432), as libpq expects

export function embeddedPaths(dataDir: string) {
  const dir = path.resolve(dataDir);
  return {
    pgdata: path.join(dir, 'pgdata'),
    socketDir: path.join(dir, 'run'),
    socketFile: path.join(dir, 'run', `.s.PGSQL.${SOCKET_PORT}`),
    backupSocket: path.join(dir, 'run', 'backup.sock'),
    lock: path.join(dir, 'embedded.lock'),
  };
}

export class EmbeddedDatabaseBusy extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the lock, or undefined when nobody (alive) does. */
function lockHolder(lock: string): number | undefined {
  if (!existsSync(lock)) return undefined;
  const pid = Number(readFileSync(lock, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

function takeLock(lock: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = lockHolder(lock);
      if (holder !== undefined) {
        throw new EmbeddedDatabaseBusy(`the embedded database in ${path.dirname(lock)} is in use by process ${holder}`);
      }
      rmSync(lock, { force: true }); // left behind by a process that died
    }
  }
  throw new EmbeddedDatabaseBusy(`could not lock ${lock}`);
}

/** Opens the embedded database as its owner; with `serve`, other processes reach it through the socket. */
export async function openEmbeddedAsOwner(dataDir: string, { serve }: { serve: boolean }): Promise<Database> {
  const paths = embeddedPaths(dataDir);
  mkdirSync(path.dirname(paths.lock), { recursive: true, mode: 0o700 });
  const releaseLock = takeLock(paths.lock);
  let database: Database;
  try {
    database = await openEmbedded(paths.pgdata);
  } catch (err) {
    releaseLock();
    throw err;
  }
  let socketServer: PGLiteSocketServer | undefined;
  let backupServer: Server | undefined;
  if (serve) {
    mkdirSync(paths.socketDir, { recursive: true, mode: 0o700 });
    rmSync(paths.socketFile, { force: true });
    socketServer = new PGLiteSocketServer({ db: isolateSocketTransactions(database.pglite!), path: paths.socketFile, maxConnections: 4, idleTimeout: 60_000 });
    await socketServer.start();
    backupServer = await serveBackups(database.pglite!, paths.backupSocket);
  }
  return {
    ...database,
    async close() {
      await socketServer?.stop().catch(() => {});
      await new Promise<void>((resolve) => (backupServer ? backupServer.close(() => resolve()) : resolve()));
      await database.close();
      releaseLock();
    },
  };
}

/**
 * For the `gatehouse` command: through the running server's socket when a server owns the
 * database, otherwise directly (holding the lock, so a server started meanwhile waits its turn).
 */
export async function openEmbeddedForCommand(dataDir: string): Promise<Database> {
  const paths = embeddedPaths(dataDir);
  if (lockHolder(paths.lock) !== undefined) {
    if (!existsSync(paths.socketFile)) {
      throw new EmbeddedDatabaseBusy('the embedded database is busy (a server is starting, or another command is running); try again');
    }
    return openPostgresClient({ host: paths.socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' });
  }
  return openEmbeddedAsOwner(dataDir, { serve: false });
}

// Backups. PGlite's dumpDataDir() copies the data directory while it holds the query lock: no
// statement runs meanwhile, so the copy is what a crash at that moment would leave, which
// PostgreSQL's own recovery makes consistent when the copy is opened (committed transactions
// in, the rest out). Only the process that owns the database can call it, so a running server
// answers every connection to DATA_DIR/run/backup.sock (mode 0700, like the database's own
// socket) with a copy, gzipped, and closes it.

async function serveBackups(pglite: PGlite, socketPath: string): Promise<Server> {
  rmSync(socketPath, { force: true });
  const server = createServer((socket) => {
    socket.on('error', () => {});
    pglite
      .dumpDataDir('gzip')
      .then(async (dump) => socket.end(Buffer.from(await dump.arrayBuffer())))
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  return server;
}

function askRunningServer(socketPath: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(socketPath);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('end', () => (chunks.length > 0 ? resolve(Buffer.concat(chunks)) : reject(new Error('the server sent no backup'))));
  });
}

/** A consistent copy of the embedded database, written to `file` (whole, or not at all); answers its size in bytes. */
export async function backUpEmbedded(dataDir: string, file: string): Promise<number> {
  const paths = embeddedPaths(dataDir);
  let copy: Buffer;
  if (lockHolder(paths.lock) !== undefined) {
    if (!existsSync(paths.backupSocket))
      throw new EmbeddedDatabaseBusy('the embedded database is busy (a server is starting, or another command is running); try again');
    copy = await askRunningServer(paths.backupSocket);
  } else {
    if (!existsSync(paths.pgdata)) throw new EmbeddedDatabaseBusy(`there is no embedded database in ${path.resolve(dataDir)}`);
    const database = await openEmbeddedAsOwner(dataDir, { serve: false });
    try {
      copy = Buffer.from(await (await database.pglite!.dumpDataDir('gzip')).arrayBuffer());
    } finally {
      await database.close();
    }
  }
  const partial = `${file}.partial`;
  writeFileSync(partial, copy, { mode: 0o600 });
  renameSync(partial, file);
  return copy.length;
}

/** What may already be in a DATA_DIR that a backup is restored into: nothing, or only the generated secret key. */
const ALLOWED_BEFORE_RESTORE = new Set(['secret-key']);

/** Restores a backup into an empty DATA_DIR (refusing one that holds anything else), migrated to this version. */
export async function restoreEmbedded(dataDir: string, file: string): Promise<void> {
  const paths = embeddedPaths(dataDir);
  const present = existsSync(path.dirname(paths.lock)) ? readdirSync(path.dirname(paths.lock)).filter((f) => !ALLOWED_BEFORE_RESTORE.has(f)) : [];
  if (present.length > 0) {
    throw new EmbeddedDatabaseBusy(
      `${path.resolve(dataDir)} is not empty (it holds ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): restore into an empty DATA_DIR, so that no database is overwritten`,
    );
  }
  const copy = await readFile(file);
  mkdirSync(path.dirname(paths.lock), { recursive: true, mode: 0o700 });
  const releaseLock = takeLock(paths.lock);
  try {
    const database = await openEmbedded(paths.pgdata, { loadDataDir: new Blob([copy]) });
    await database.close();
  } catch (err) {
    rmSync(paths.pgdata, { recursive: true, force: true });
    throw err;
  } finally {
    releaseLock();
  }
}
