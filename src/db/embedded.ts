// PGlite serves one process. Whoever opens the embedded database first owns it (a lock file
// in DATA_DIR); a running server also serves it on a Unix socket in DATA_DIR, so that the
// `gatehouse` command can add a colleague mid-morning without stopping the service.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
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
  if (serve) {
    mkdirSync(paths.socketDir, { recursive: true, mode: 0o700 });
    rmSync(paths.socketFile, { force: true });
    socketServer = new PGLiteSocketServer({ db: isolateSocketTransactions(database.pglite!), path: paths.socketFile, maxConnections: 4, idleTimeout: 60_000 });
    await socketServer.start();
  }
  return {
    ...database,
    async close() {
      await socketServer?.stop().catch(() => {});
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
