// What every `gatehouse` subcommand is made of: its words, its help, and a run that parses
// its own arguments (node:util parseArgs, strict) and answers with one line for the person
// (and, for a command whose output is for a script, lines of data on stdout before it).

import { type ParseArgsOptionDescriptor, parseArgs } from 'node:util';
import type { FlowDeps } from '../auth/flows/deps.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import type { Keys } from '../lib/keys.ts';
import type { Outcome } from '../lib/outcome.ts';

/** Bad arguments: the person typed something the command cannot take (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A refusal the person can act on that is not the directory's (exit code 1). */
export class Refusal extends Error {
  override name = 'Refusal';
}

export interface CommandContext {
  /** The database from the settings (opened once, closed by runCli), or the one the caller gave. */
  db(): Promise<Db>;
  /**
   * The password piped to the command, checked against the same rules as the web form at each
   * of `for.sites` (their length and composition settings, the person's email and names, common
   * passwords) and, for an existing account (`accountId`), not one of its recent passwords; then
   * hashed as the server hashes. A password that breaks a rule is refused (exit 1), saying why.
   */
  passwordHashFromStdin(rulesFor: { email: string; names: string[]; sites: string[]; accountId?: string | undefined }): Promise<string>;
  /**
   * What the account flows need, as the server has it: this database, the keys derived from
   * SECRET_KEY (or DATA_DIR's generated key) and PUBLIC_URL for links in emails. Mail waits in
   * the outbox for a running server to send it.
   */
  flowDeps(): Promise<FlowDeps>;
  /** The settings, as the server reads them. */
  settings(): Config;
  /** The keys derived from SECRET_KEY (or DATA_DIR's generated key), as the server derives them. */
  keys(): Keys;
  /**
   * A line of data for a script to capture, written to stdout. Once a command has written one,
   * its one-line answer goes to stderr, so that stdout holds nothing but the data.
   */
  output(line: string): void;
}

export interface Command {
  /** How it is typed: ['site', 'add'], or one word (['backup']). */
  words: readonly [string, string] | readonly [string];
  /** The synopsis, as in DESIGN.md. */
  synopsis: string;
  /** What it does and what its options mean, shown by --help under the synopsis. */
  details: string;
  /** Its stdout is data for a script, even when there is none (an empty list): its answer always goes to stderr. */
  printsData?: boolean;
  /** Does the work; returns the one line printed on success. */
  run(args: string[], ctx: CommandContext): Promise<string>;
}

export function helpText(command: Command): string {
  return `Usage: gatehouse ${command.words.join(' ')} ${command.synopsis}\n\n${command.details}\n`;
}

type Options = Record<string, ParseArgsOptionDescriptor>;

/**
 * Parses a command's arguments: `positionals` names the ones it needs, in order; with `rest`,
 * any number more may follow. Unknown options and missing or extra arguments are usage errors.
 */
export function parseCommandArgs<const O extends Options>(args: string[], options: O, positionals: { names: string[]; rest?: boolean }) {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(describeParseError(err));
  }
  const missing = positionals.names[parsed.positionals.length];
  if (missing !== undefined) throw new UsageError(`missing argument <${missing}>`);
  const extra = parsed.positionals[positionals.names.length];
  if (!positionals.rest && extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return parsed;
}

/** node:util's messages run to several sentences; the first says it. */
function describeParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '');
  return first.charAt(0).toLowerCase() + first.slice(1);
}

export function requiredOption(value: string | undefined, option: string): string {
  if (value === undefined) throw new UsageError(`missing option --${option}`);
  return value;
}

/** A flow's answer for the command line: its value, or its refusal as the one line and exit code 1. */
export function accepted<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Refusal(outcome.message);
  return outcome.value;
}
