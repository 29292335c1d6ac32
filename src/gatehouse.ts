// Starting and stopping the whole service; used by server.ts, the tests and the benchmarks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { type Database, openPostgres } from './db/connect.ts';
import { openEmbeddedAsOwner } from './db/embedded.ts';
import { describeDemo, isEmpty, seedDemo } from './directory/demo.ts';
import { recordPublicUrl } from './directory/public-url.ts';
import type { Metrics } from './lib/metrics.ts';
import { checkPortFree, listenOn, urlOf } from './lib/port-in-use.ts';
import { loadOrCreateSecretKey } from './lib/secret-key.ts';
import { MaintenanceLoop } from './maintenance/maintenance-loop.ts';
import { createServices, type Services } from './services.ts';
import { createApp } from './web/app.tsx';
import { Drain } from './web/drain.ts';
import { frontDoor } from './web/front-door.ts';

export interface Running {
  url: string;
  /** The metrics listener's address (METRICS_PORT), serving GET /metrics. */
  metricsUrl: string | undefined;
  services: Services;
  database: Database;
  /** This start created the demo data (the database was empty). */
  demoCreated: boolean;
  close(): Promise<void>;
}

export function openDatabase(config: Config): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config.databasePoolSize) : openEmbeddedAsOwner(config.dataDir, { serve: true });
}

/**
 * `housekeeping: false` leaves the maintenance loop out (tests that count statements, and
 * call a round themselves when they want one).
 */
export async function startGatehouse(config: Config, log: Logger, options: { database?: Database; housekeeping?: boolean } = {}): Promise<Running> {
  // Before anything is opened or written: a second `npm start` stops here, leaving no trace.
  await checkPortFree(config.port, config.host);
  if (config.metrics) await checkPortFree(config.metrics.port, config.metrics.host, 'METRICS_PORT');
  const database = options.database ?? (await openDatabase(config));
  const secretKey = loadOrCreateSecretKey(config.secretKey, config.dataDir);
  // Where emails link to, for the `gatehouse` command run without PUBLIC_URL (directory/public-url.ts).
  await recordPublicUrl(database.db, config.publicUrl);
  const services = await createServices(config, database.db, log, secretKey, database.listen);
  await services.authenticator.wakeups.start();
  const { pool } = database;
  if (pool) services.metrics.observePool(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));

  const demoCreated = config.demo && (await isEmpty(database.db));
  if (demoCreated) {
    await seedDemo(database.db, (p) => services.passwords.hash(p));
    log.info('demo data created');
  }

  const app = createApp(services);
  // POST /<site>/login passes the front door first: under a flood, strangers' attempts are
  // refused there before any other work (see web/front-door.ts). Every request is counted in
  // flight, for a shutdown to wait for (web/drain.ts).
  const drain = new Drain();
  const listener = drain.track(frontDoor(getRequestListener(app.fetch, { hostname: config.host }), services));
  // Slow clients must not hold sockets open forever: the headers within 20 s, the whole request within 60 s.
  const server = createServer({ headersTimeout: 20_000, requestTimeout: 60_000 }, listener);
  await listenOn(server, config.port, config.host).catch(async (err: unknown) => {
    // Taken since the check: close what was opened for nothing.
    services.admission.stop();
    if (!options.database) await database.close();
    throw err;
  });
  const url = urlOf(server);
  // Metrics on a listener of their own, for the operator's network only (never the public port).
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (config.metrics) {
    services.metrics.collectProcessMetrics();
    metricsServer = createServer(metricsListener(services.metrics));
    await listenOn(metricsServer, config.metrics.port, config.metrics.host, 'METRICS_PORT');
    metricsUrl = urlOf(metricsServer);
  }
  const maintenance = new MaintenanceLoop(services);
  if (options.housekeeping !== false) maintenance.start();
  services.mail.start();
  services.oidc.logouts.start();

  let closing: Promise<void> | undefined;
  const shutDown = async () => {
    const deadline = Date.now() + config.shutdownGraceMs;
    // Not ready from the first moment, before anything is awaited, and no new connections (net's
    // close: http's would also drop idle keep-alive connections at once, with any request already
    // sent on them unread).
    services.readiness.shuttingDown = true;
    const listening = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    // From the same moment every answer says `Connection: close` (draining starts at once).
    const drained = drain.finish(config.shutdownGraceMs);
    // Open streams (a waiting sign-in page, an open app) end next: they would hold requests open.
    await services.authenticator.wakeups.close();
    const housekeepingStopped = maintenance.stop(); // a round under way ends after its batch
    const unanswered = await drained;
    // Nothing in flight (or the grace is over): what is still open is idle, or cut now.
    server.closeIdleConnections();
    if (unanswered > 0) {
      services.log.warn({ unanswered, graceMs: config.shutdownGraceMs }, 'shutting down: requests still unanswered after the grace period were cut');
      server.closeAllConnections();
    }
    await Promise.race([listening, sleepUntil(deadline)]);
    server.closeAllConnections();
    // After the last requests (they may have written mail), before the database it sends from:
    // one more pass sends what they queued, within what is left of the grace.
    await services.mail.stop({ flushUntil: deadline });
    await services.oidc.logouts.stop();
    services.admission.stop();
    services.database.stop();
    await housekeepingStopped;
    await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
    await database.close();
  };

  return {
    url,
    metricsUrl,
    services,
    database,
    demoCreated,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}

/** GET /metrics: Prometheus' text format; anything else is a 404. */
function metricsListener(metrics: Metrics) {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    metrics.scrape().then(
      ({ body, contentType }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n'),
    );
  };
}

function sleepUntil(deadline: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())));
}

export { describeDemo };
