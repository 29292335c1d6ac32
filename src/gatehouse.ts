// Starting and stopping the whole service; used by server.ts, the tests and the benchmarks.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { type Database, openPostgres } from './db/connect.ts';
import { openEmbeddedAsOwner } from './db/embedded.ts';
import { describeDemo, isEmpty, seedDemo } from './directory/demo.ts';
import { loadOrCreateSecretKey } from './lib/secret-key.ts';
import { MaintenanceLoop } from './maintenance/maintenance-loop.ts';
import { createServices, type Services } from './services.ts';
import { createApp } from './web/app.tsx';
import { frontDoor } from './web/front-door.ts';

export interface Running {
  url: string;
  services: Services;
  database: Database;
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
  const database = options.database ?? (await openDatabase(config));
  const secretKey = loadOrCreateSecretKey(config.secretKey, config.dataDir);
  const services = await createServices(config, database.db, log, secretKey);

  if (config.demo && (await isEmpty(database.db))) {
    await seedDemo(database.db, (p) => services.passwords.hash(p));
    log.info('demo data created');
  }

  const app = createApp(services);
  // POST /<site>/login passes the front door first: under a flood, strangers' attempts are
  // refused there before any other work (see web/front-door.ts).
  const listener = frontDoor(getRequestListener(app.fetch, { hostname: config.host }), services);
  // Slow clients must not hold sockets open forever: the headers within 20 s, the whole request within 60 s.
  const server = createServer({ headersTimeout: 20_000, requestTimeout: 60_000 }, listener);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const maintenance = new MaintenanceLoop(services);
  if (options.housekeeping !== false) maintenance.start();
  services.mail.start();

  return {
    url,
    services,
    database,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open; in-flight requests get 5 s.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
        setTimeout(() => ('closeAllConnections' in server ? server.closeAllConnections() : undefined), 5000).unref();
      });
      // After the server (its last requests may kick it), before the database it sends from.
      await services.mail.stop();
      services.admission.stop();
      services.database.stop();
      await maintenance.stop();
      await database.close();
    },
  };
}

export { describeDemo };
