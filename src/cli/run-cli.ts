// The `gatehouse` command in one function, so that tests run it in-process: finds the
// subcommand, runs it, prints one line (on stderr when the command wrote data to stdout), and
// turns every failure into one line and an exit code (2: the arguments were wrong; 1: a refusal
// or anything else).
import pino from 'pino';
import { ZodError } from 'zod';
import { isRecentPassword, passwordRules } from '../auth/flows/new-password/index.ts';
import { PasswordMethod } from '../auth/methods/password/index.ts';
import { checkNewPassword, REUSED_PASSWORD_MESSAGE } from '../auth/methods/password/policy.ts';
import { type Config, ConfigError, type Env, loadConfig } from '../config.ts';
import type { Database, Db } from '../db/connect.ts';
import { EmbeddedDatabaseBusy } from '../db/embedded.ts';
import { DirectoryError } from '../directory/directory-error.ts';
import { publicUrlForCommand, recordedPublicUrl } from '../directory/public-url.ts';
import { findSiteBySlug } from '../directory/sites.ts';
import { deriveKeys, type Keys } from '../lib/keys.ts';
import { loadOrCreateSecretKey } from '../lib/secret-key.ts';
import { type Command, type CommandContext, helpText, Refusal, UsageError } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { openDatabaseForCommand } from './open-database.ts';
import { readPasswordFromStdin, type Stdin } from './password-stdin.ts';

export interface CliIo {
  stdin: Stdin;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The settings, as the server reads them (DATABASE_URL, DATA_DIR, ARGON2_*…). */
  env: Env;
  /** A database already open (tests): used instead of opening one from the settings, and left open. */
  database?: Database;
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

const HELP_FLAGS = new Set(['--help', '-h']);

function overview(commands: readonly Command[] = COMMANDS): string {
  return [
    'Usage: gatehouse <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  gatehouse ${c.words.join(' ')} ${c.synopsis}`),
    '',
    'Settings come from the environment, as for the server: DATABASE_URL (a PostgreSQL server;',
    'unset: the embedded database in DATA_DIR, default ./data, also while the server is running)',
    'and ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM for password hashes;',
    'SECRET_KEY (unset: the key the server generated in DATA_DIR) seals two-factor secrets and',
    "keys the audit (the audit commands need the server's), and PUBLIC_URL makes the links in",
    'the emails that support and token commands send.',
    "Run gatehouse <command> --help for a command's options.",
    '',
  ].join('\n');
}

/** Help was asked for if --help or -h comes before any `--`. */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => HELP_FLAGS.has(a));
}

type Found = { command: Command; args: string[] } | { help: string } | { usage: string };

function findCommand(argv: string[]): Found {
  const [group, action, ...args] = argv;
  if (group === undefined || HELP_FLAGS.has(group)) return group === undefined ? { usage: 'missing command' } : { help: overview() };
  const single = COMMANDS.find((c) => c.words.length === 1 && c.words[0] === group);
  if (single) {
    const rest = action === undefined ? [] : [action, ...args];
    return asksForHelp(rest) ? { help: helpText(single) } : { command: single, args: rest };
  }
  const inGroup = COMMANDS.filter((c) => c.words[0] === group);
  if (inGroup.length === 0) return { usage: `unknown command "${group}"` };
  const command = inGroup.find((c) => c.words[1] === action);
  if (command) return asksForHelp(args) ? { help: helpText(command) } : { command, args };
  if (action === undefined || HELP_FLAGS.has(action)) {
    return action === undefined ? { usage: `missing command after "${group}"` } : { help: overview(inGroup) };
  }
  return { usage: `unknown command "${group} ${action}"` };
}

/** One line for the person, and the exit code. */
function explain(err: unknown): { message: string; exitCode: number } {
  if (err instanceof UsageError) return { message: err.message, exitCode: EXIT_USAGE };
  if (err instanceof ZodError) return { message: err.issues[0]?.message ?? 'invalid input', exitCode: EXIT_REFUSED };
  if (err instanceof ConfigError) return { message: `bad settings: ${err.problems.join('; ')}`, exitCode: EXIT_REFUSED };
  if (err instanceof DirectoryError || err instanceof Refusal || err instanceof EmbeddedDatabaseBusy) {
    return { message: err.message, exitCode: EXIT_REFUSED };
  }
  return { message: describeUnexpected(err), exitCode: EXIT_REFUSED };
}

/** Network failures come as an AggregateError with an empty message: name the first cause. */
function describeUnexpected(err: unknown): string {
  if (err instanceof AggregateError && !err.message && err.errors.length) return describeUnexpected(err.errors[0]);
  const message = err instanceof Error ? err.message || err.name : String(err);
  return message.split('\n')[0]!;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const found = findCommand(argv);
  if ('help' in found) {
    io.stdout.write(found.help);
    return EXIT_OK;
  }
  if ('usage' in found) {
    io.stderr.write(`gatehouse: ${found.usage} (see gatehouse --help)\n`);
    return EXIT_USAGE;
  }

  let config: Config | undefined;
  const settings = () => (config ??= loadConfig(io.env));
  let opened: Promise<Database> | undefined;
  let keys: Keys | undefined;
  let wroteData = false;
  let commandUrl: URL | undefined;
  /** The address the command's emails link to: PUBLIC_URL, or the server's own (a warning when unsure). */
  const publicUrl = async (db: Db) => {
    if (commandUrl) return commandUrl;
    const config = settings();
    const chosen = publicUrlForCommand(
      { publicUrlSet: Boolean(io.env.PUBLIC_URL), publicUrl: config.publicUrl, nodeEnv: config.env },
      await recordedPublicUrl(db),
    );
    if (chosen.warning) io.stderr.write(`gatehouse: warning: ${chosen.warning}\n`);
    commandUrl = chosen.publicUrl;
    return commandUrl;
  };
  const ctx: CommandContext = {
    async db() {
      if (io.database) return io.database.db;
      opened ??= openDatabaseForCommand(settings());
      return (await opened).db;
    },
    async passwordHashFromStdin(rulesFor) {
      const password = await readPasswordFromStdin(io.stdin);
      const db = await ctx.db();
      for (const slug of rulesFor.sites) {
        const site = await findSiteBySlug(db, slug);
        if (!site) continue; // the command itself says the site is unknown
        const checked = checkNewPassword(password, passwordRules(rulesFor, site));
        if (!checked.ok) throw new Refusal(`that password cannot be used at ${site.slug}: ${checked.failures.map((f) => f.message).join(' ')}`);
      }
      const passwords = await PasswordMethod.create(settings().argon2);
      if (rulesFor.accountId && (await isRecentPassword({ db, passwords }, rulesFor.accountId, password))) {
        throw new Refusal(`that password cannot be used: ${REUSED_PASSWORD_MESSAGE}`);
      }
      return passwords.hash(password);
    },
    async flowDeps() {
      const db = await ctx.db();
      return { db, log: pino({ level: 'silent' }), keys: ctx.keys(), config: { ...settings(), publicUrl: await publicUrl(db) }, mail: { kick() {} } };
    },
    settings,
    keys() {
      const config = settings();
      keys ??= deriveKeys(loadOrCreateSecretKey(config.secretKey, config.dataDir));
      return keys;
    },
    output(line) {
      wroteData = true;
      io.stdout.write(`${line}\n`);
    },
  };

  try {
    const answer = await found.command.run(found.args, ctx);
    (wroteData || found.command.printsData ? io.stderr : io.stdout).write(`${answer}\n`);
    return EXIT_OK;
  } catch (err) {
    const { message, exitCode } = explain(err);
    io.stderr.write(`gatehouse: ${message}\n`);
    return exitCode;
  } finally {
    if (opened) await opened.then((d) => d.close()).catch(() => {});
  }
}
