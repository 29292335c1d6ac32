// The command's database, chosen by the same settings as the server's: the PostgreSQL server
// at DATABASE_URL (migrated first, as the server does), or the embedded database in DATA_DIR,
// through the running server's socket when a server owns it and directly otherwise.
import type { Config } from '../config.ts';
import { type Database, openPostgres } from '../db/connect.ts';
import { openEmbeddedForCommand } from '../db/embedded.ts';

const POOL_SIZE = 2; // one command, one statement or transaction at a time

export function openDatabaseForCommand(config: Config): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, POOL_SIZE) : openEmbeddedForCommand(config.dataDir);
}
