// `npm test`: every vitest project (unit, integration, e2e) in one vitest run, so the closing
// summary is vitest's own. Arguments are passed on to vitest (`npm test -- -t "sign-in"`).
//
// The browser tests need Chromium: CHROMIUM_PATH, or Debian's package at /usr/bin/chromium.
// Without it, CI (CI=true) fails at once; a local run says so and runs the other projects.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');
const forwarded = process.argv.slice(2);

// The JSON report gives the plain closing line ("N passed, N failed") that any CI reads.
const report = path.join(root, 'test-results', 'vitest.json');
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...forwarded];
if (!existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}: install Debian's chromium (apt-get install chromium)`);
  if (inCi) process.exit(1);
  const choseProjects = forwarded.some((a) => a === '--project' || a.startsWith('--project='));
  if (!choseProjects) {
    console.error('Running without the browser tests (the e2e project).');
    args.push('--project', 'unit', '--project', 'integration');
  }
}

if (!existsSync(vitest)) {
  console.error(`vitest not found at ${vitest}: run npm install first`);
  process.exit(1);
}

rmSync(report, { force: true });
const child = spawn(vitest, args, {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    CHROMIUM_PATH: chromium,
    // vitest's launcher is `#!/usr/bin/env node`: let it find the node running this script.
    PATH: [path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
  },
});

// Ctrl-C already reaches vitest (same process group): wait for it to stop its workers and
// browsers. A SIGTERM or SIGHUP sent to this process alone is passed on.
process.on('SIGINT', () => {});
for (const signal of ['SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}

child.on('error', (err) => {
  console.error(`could not start vitest: ${err.message}`);
  process.exit(1);
});

function summarise() {
  if (!existsSync(report)) return;
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

child.on('exit', (code, signal) => {
  if (signal) {
    console.error(`vitest stopped by ${signal}`);
    process.exit(1);
  }
  summarise();
  process.exit(code ?? 1);
});
