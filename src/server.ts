// `npm start`: read the settings, open the database, serve, and shut down cleanly on a signal.
import { ConfigError, loadConfig } from './config.ts';
import { DEMO_SITES, describeDemo } from './directory/demo.ts';
import { startGatehouse } from './gatehouse.ts';
import { PortInUseError } from './lib/port-in-use.ts';
import { createLogger } from './logger.ts';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  if (/^[\d.]+$|^\[/.test(config.publicUrl.hostname)) {
    log.warn(
      { publicUrl: config.publicUrl.origin },
      'PUBLIC_URL is an IP address: browsers refuse security keys there; use a host name (localhost in development)',
    );
  }
  const running = await startGatehouse(config, log);
  const where = config.databaseUrl ? 'PostgreSQL' : `the embedded database in ${config.dataDir}`;
  const banner = [`Gatehouse is listening on ${running.url} (public address ${config.publicUrl.origin}), using ${where}.`];
  if (running.metricsUrl) banner.push(`Metrics are at ${running.metricsUrl}/metrics.`);
  // The demo's password is printed once, as the data is made; later starts say where to find it.
  if (running.demoCreated) banner.push(describeDemo(config.publicUrl));
  else if (config.demo && (await running.services.db.query.site.findFirst({ where: (s, { eq }) => eq(s.slug, DEMO_SITES[0]!.slug) }))) {
    banner.push(
      `Demo data is in this database: its sign-in pages start at ${config.publicUrl.origin}/${DEMO_SITES[0]!.slug}/login (the README lists its accounts).`,
    );
  }
  console.log(banner.join('\n'));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Not ready at once; requests in flight get SHUTDOWN_GRACE_SECONDS; then mail, housekeeping, the database.
    log.info({ signal, graceSeconds: config.shutdownGraceMs / 1000 }, 'shutting down');
    try {
      await running.close();
    } catch (err) {
      log.error({ err }, 'shutting down failed');
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof PortInUseError) {
    console.error(`Gatehouse cannot start: ${err.message}`);
    process.exit(1);
  }
  console.error(`Gatehouse could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
