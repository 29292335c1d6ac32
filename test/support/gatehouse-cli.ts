// The `gatehouse` command run in this process (runCli), with the settings in `env` (nothing
// from this process's environment) and, usually, the test's own database.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Stdin } from '../../src/cli/password-stdin.ts';
import { runCli } from '../../src/cli/run-cli.ts';
import type { Database } from '../../src/db/connect.ts';

export interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

// Commands that audit derive the audit key from DATA_DIR's generated key when SECRET_KEY is
// unset: one directory for this test file's commands (not the repository's ./data).
let dataDir: string | undefined;

export async function gatehouse(args: string[], options: { database?: Database; stdin?: string | Stdin; env?: Record<string, string> } = {}): Promise<Outcome> {
  const out = { stdout: '', stderr: '' };
  const { stdin = '' } = options;
  dataDir ??= mkdtempSync(path.join(tmpdir(), 'gatehouse-cli-'));
  const exitCode = await runCli(args, {
    stdin: typeof stdin === 'string' ? Readable.from([Buffer.from(stdin)]) : stdin,
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    env: { DATA_DIR: dataDir, ...options.env },
    database: options.database,
  });
  return { exitCode, ...out };
}
