// Whether the database can be reached, decided in one place. Every error from a query passes
// through isDatabaseUnavailable(): a refused or reset connection, a server shutting down or
// starting up, a pool that could not get a connection in time, the embedded database's socket
// gone. While it cannot be reached, requests get the 503 "briefly unavailable" page and the
// log says so once (DatabaseAvailability), not a query's text per request; a probe notices
// when it answers again and the log says that once, with how long it was away.
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Metrics } from '../lib/metrics.ts';
import type { Db } from './db.ts';

/** Socket errors that mean the server is not there (or went away mid-query). */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/**
 * PostgreSQL's SQLSTATEs for "not now": 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, or shutting down), 53300 too_many_connections; and class 08,
 * connection exceptions.
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
/** What node-postgres and PGlite say when a connection ends or never came (they have no code). */
const MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'is not queryable',
  'connect ENOENT', // the embedded database's socket file is gone (its server stopped)
  'PGlite is closed',
];

/** Whether this error (or one it wraps: Drizzle wraps the driver's) says the database cannot be reached. */
export function isDatabaseUnavailable(err: unknown): boolean {
  return unavailableKind(err) !== undefined;
}

/** The code or short reason it cannot be reached ('ECONNREFUSED', '57P01', 'Connection terminated'), never a query. */
export function unavailableKind(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return code;
    const message = MESSAGES.find((m) => e instanceof Error && e.message.includes(m));
    if (message) return message;
    // A pool or driver error that aggregates one per address tried (localhost: ::1 and 127.0.0.1).
    if (e instanceof AggregateError) {
      const inner = e.errors.map(unavailableKind).find((k) => k !== undefined);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** How long to tell a browser to wait, and how often to look whether the database is back. */
export const RETRY_AFTER_SECONDS = 5;
const PROBE_MS = 1000;

export class DatabaseAvailability {
  private lostAt: number | undefined;
  private probe: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly log: Logger;

  constructor(
    private readonly db: Db,
    log: Logger,
    private readonly metrics?: Pick<Metrics, 'databaseErrors' | 'databaseAvailable'>,
    private readonly now: () => number = Date.now,
    private readonly probeMs = PROBE_MS,
  ) {
    this.log = log.child({ component: 'database' });
  }

  /** False from the first failed query of an outage until a probe is answered. */
  get available(): boolean {
    return this.lostAt === undefined;
  }

  /**
   * A query failed: true if because the database cannot be reached (the caller answers 503 or
   * waits for the next round, and logs nothing of its own). The first such failure of an outage
   * is logged, and a probe starts looking for the database's return.
   */
  failed(err: unknown): boolean {
    const kind = unavailableKind(err);
    if (kind === undefined) return false;
    this.metrics?.databaseErrors.inc({ kind: 'unavailable' });
    if (this.lostAt === undefined) {
      this.lostAt = this.now();
      this.metrics?.databaseAvailable.set(0);
      this.log.error({ reason: kind }, 'the database cannot be reached: answering 503 until it is back');
      this.probe = setInterval(() => void this.look(), this.probeMs);
      this.probe.unref();
    }
    return true;
  }

  /** Asks the database now (readiness does): true when it answers. */
  async answers(): Promise<boolean> {
    try {
      await this.db.execute(sql`select 1`);
    } catch (err) {
      this.failed(err);
      return false;
    }
    this.back();
    return true;
  }

  stop(): void {
    clearInterval(this.probe);
    this.probe = undefined;
  }

  private async look(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await this.answers();
    } finally {
      this.probing = false;
    }
  }

  private back(): void {
    if (this.lostAt === undefined) return;
    const awayMs = this.now() - this.lostAt;
    this.lostAt = undefined;
    this.metrics?.databaseAvailable.set(1);
    this.stop();
    this.log.warn({ awayMs }, `the database is back after ${(awayMs / 1000).toFixed(1)} s`);
  }
}
