// gatehouse backup <file>, gatehouse restore <file>: the embedded database, copied while the
// server runs (through its backup socket) or while it does not; restored into an empty DATA_DIR.
import { backUpEmbedded, restoreEmbedded } from '../../db/embedded.ts';
import { type Command, parseCommandArgs, Refusal } from '../command.ts';

const ON_POSTGRES = 'DATABASE_URL is set: back up a PostgreSQL server with pg_dump (see the README), not with this command';

export const backup: Command = {
  words: ['backup'],
  synopsis: '<file>',
  details: [
    'Writes a consistent copy of the embedded database in DATA_DIR to <file> (a gzipped tar of',
    'its data directory), while the server runs or not. Keep SECRET_KEY (or DATA_DIR/secret-key)',
    'apart from it: a restore needs the same key to open sealed secrets (authenticator apps,',
    'mail waiting in the outbox).',
    '  <file>   where to write the copy (replaced whole, or left as it was)',
  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { names: ['file'] });
    const config = ctx.settings();
    if (config.databaseUrl) throw new Refusal(ON_POSTGRES);
    const bytes = await backUpEmbedded(config.dataDir, positionals[0]!);
    return `Backed up the embedded database to ${positionals[0]} (${Math.ceil(bytes / 1024)} KiB).`;
  },
};

export const restore: Command = {
  words: ['restore'],
  synopsis: '<file>',
  details: [
    'Restores a copy made by gatehouse backup into DATA_DIR, which must be empty (or hold only',
    'its secret-key file); then start the server with the SECRET_KEY the copy was made with.',
    '  <file>   the copy',
  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { names: ['file'] });
    const config = ctx.settings();
    if (config.databaseUrl) throw new Refusal('DATABASE_URL is set: restore a PostgreSQL server with pg_restore or psql (see the README)');
    await restoreEmbedded(config.dataDir, positionals[0]!);
    return `Restored the embedded database into ${config.dataDir} from ${positionals[0]}.`;
  },
};
