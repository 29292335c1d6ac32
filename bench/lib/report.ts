// The run's outputs: a table on stdout, bench/results/<date>-<host>.json, and BENCHMARKS.md
// (the latest run of each database kind found in bench/results/).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './child.ts';
import { CHANGES, findings } from './findings.ts';
import { type Results, type Target, targets } from './results.ts';
import { round } from './stats.ts';

export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

const mark = (met: boolean | undefined) => (met === undefined ? '—' : met ? 'met' : 'MISSED');

function rows(r: Results): string[][] {
  return targets(r).map((t) => [String(t.figure), t.name, t.value, t.target, mark(t.met)]);
}

/** Secondary figures, each a line: per core, Keycloak's line, latency parts, per-query search… */
function details(r: Results): string[] {
  const f = r.figures;
  const lines: string[] = [];
  if (f.signInThroughput) {
    const t = f.signInThroughput;
    lines.push(
      `argon2id m=${t.hashBound.params.memoryKiB} KiB, t=${t.hashBound.params.iterations}, p=${t.hashBound.params.parallelism}: ${t.hashBound.hashesPerSecond} hashes/s on ${t.hashBound.cores} cores (${t.hashBound.perCore}/core${t.hashBound.measurements ? `; best of ${t.hashBound.measurements.join(' and ')}, before and after the sign-ins` : ''}); one hash alone ${t.hashBound.oneHashMs} ms`,
      `sign-ins: ${t.signIns.best.signInsPerSecond}/s at ${t.signIns.best.concurrency} at once = ${t.signInsPerCore}/core (Keycloak's sizing line: ${t.keycloakPerVcpu}/s per vCPU); CPU per sign-in: ${t.signIns.best.serverCpuMsPerSignIn} ms in the server, ${t.signIns.best.machineCpuMsPerSignIn} ms machine-wide, of which the load generator ${t.signIns.best.generatorCpuMsPerSignIn ?? 'n/a'} ms and PostgreSQL's processes ${t.signIns.best.postgresCpuMsPerSignIn ?? 'n/a'} ms (one hash is ${t.hashBound.oneHashMs} ms)`,
      `  by concurrency: ${t.signIns.runs.map((x) => `${x.concurrency}: ${x.signInsPerSecond}/s ${JSON.stringify(x.statuses)}`).join('; ')}`,
    );
  }
  if (f.signInLatency) {
    const l = f.signInLatency;
    lines.push(
      `latency at ${l.ratePerSecond}/s (${l.ok} ok, ${l.failed} failed): sign-in POST p50/p95/p99 ${l.postMs.p50}/${l.postMs.p95}/${l.postMs.p99} ms; login page ${l.pageMs.p50}/${l.pageMs.p95}/${l.pageMs.p99} ms; both, from when due, ${l.wholeMs.p50}/${l.wholeMs.p95}/${l.wholeMs.p99} ms`,
    );
  }
  if (f.authenticatedPage) {
    const a = f.authenticatedPage;
    lines.push(
      `authenticated page: ${a.pagePerSecond}/s (${a.pageServerCpuMs} ms server CPU each) vs bare Hono ${a.barePerSecond}/s (${a.bareServerCpuMs} ms) and bare Hono after one indexed read of the session table ${a.oneReadPerSecond ?? 'n/a'}/s (page ÷ that: ${a.ratioToOneRead === undefined ? 'n/a' : `${Math.round(a.ratioToOneRead * 100)}%`}), ${a.concurrency} keep-alive connections, ${a.rounds} round(s)`,
    );
  }
  if (f.peer) {
    const p = f.peer;
    lines.push(
      `better-auth ${p.version} (${p.database}; ${p.hashing}): sign-in ${p.signIn.best.signInsPerSecond}/s at ${p.signIn.best.concurrency} at once (CPU per sign-in ${p.signIn.best.serverCpuMsPerSignIn} ms in the server, ${p.signIn.best.machineCpuMsPerSignIn} ms machine-wide), get-session ${round(p.sessionCheck.perSecond)}/s (server CPU ${round(p.sessionCheck.serverCpuMsPerRequest ?? Number.NaN, 3)} ms each)`,
    );
  }
  if (f.search) {
    const s = f.search;
    lines.push(
      `search: ${s.sites} site(s) x ${s.usersPerSite.toLocaleString('en-GB')} users seeded in ${s.seedSeconds} s on ${s.database}; ${s.runsPerQuery} runs per query`,
      `  per query p50/p95 ms (rows on page 1): ${s.perQuery.map((q) => `"${q.q}" ${q.p50}/${q.p95} (${q.rows})`).join(', ')}`,
    );
  }
  if (f.oidcFlows) {
    const o = f.oidcFlows;
    lines.push(
      `OpenID Connect (${o.database}, ${o.concurrency} at once): code flows ${o.codeFlowsPerSecond}/s (${o.cpuMsPerCodeFlow} ms of the process's CPU each) vs password sign-ins ${o.passwordSignInsPerSecond}/s (${o.cpuMsPerSignIn} ms), ${o.failed} failed; token endpoint (refresh) ${o.tokenRefreshesPerSecond}/s, userinfo ${o.userinfoPerSecond}/s; oidc-provider alone ${o.providerAlone.flowsPerSecond}/s (${o.providerAlone.cpuMsPerFlow} ms each); load ${o.loadAverage.join(' → ')}`,
    );
  }
  if (f.flood) {
    const fl = f.flood;
    lines.push(
      `flood: ${fl.connections} connections for ${fl.seconds} s, ${fl.attempts} answered (${fl.attemptsPerSecond}/s): ${JSON.stringify(fl.statuses)}, ${fl.networkErrors} network errors, ${fl.abandoned} still unanswered ${fl.drainSeconds} s after it; real sign-ins ${fl.real.succeeded}/${fl.real.attempted}, failures ${JSON.stringify(fl.real.failures)}, p50/p95/max ${fl.real.ms.p50}/${fl.real.ms.p95}/${fl.real.ms.max} ms`,
      `  CPU while flooded: server ${fl.cpu?.serverCores} cores, load generator ${fl.cpu?.generatorCores} cores (of ${r.machine.cores})`,
      `  server memory (MiB): RSS ${fl.rssBeforeMiB} before the flood (start-up peak ${fl.startupHwmMiB}), peak ${fl.hwmMiB} during it; process.memoryUsage() before ${JSON.stringify(fl.memoryBefore)}, after ${JSON.stringify(fl.memoryAtEnd)}`,
    );
  }
  if (f.pushRoundTrip) {
    const p = f.pushRoundTrip;
    lines.push(
      `approval round trip (${p.rounds} each, after 5 to warm up): one instance p50/p95/p99/max ${p.one.p50}/${p.one.p95}/${p.one.p99}/${p.one.max} ms; two instances ${p.two.p50}/${p.two.p95}/${p.two.p99}/${p.two.max} ms`,
    );
  }
  if (f.pushWaiting) {
    const w = f.pushWaiting;
    lines.push(
      `${w.waiting} waiting sign-ins' streams: RSS ${w.rssKiBEach} KiB each, heap ${w.heapKiBEach} KiB each (server and client ends, in the runner's process, whose RSS may reuse pages freed before); the authenticated page 16 at a time for ${w.pageSeconds} s, with and without them`,
    );
  }
  if (f.coldStart) lines.push(`cold start: ${f.coldStart.command}, DATA_DIR with the demo data; runs ${f.coldStart.runsMs.join(', ')} ms`);
  if (f.staffImport) {
    const im = f.staffImport;
    lines.push(
      `staff import: ${im.rows} rows (${Math.round(im.fileBytes / 1024)} KiB), medians of ${im.rounds.length} round(s), each on a fresh database; by round (preview/apply/apply with emails/again ms, load average): ${im.rounds.map((x) => `${x.previewMs}/${x.applyMs}/${x.applyWithEmailsMs}/${x.reimportMs} at ${x.loadAverage}`).join('; ')}`,
    );
  }
  const noisy = Object.entries(r.phaseLoad).filter(([, l]) => l.backgroundCores > 0.25);
  if (noisy.length) {
    lines.push(
      `the machine was already busy before: ${noisy.map(([p, l]) => `${p} (${l.backgroundCores} cores busy)`).join(', ')} (other processes, and this run's idle servers): those figures are pessimistic`,
    );
  }
  for (const [phase, why] of Object.entries(r.errors)) lines.push(`NOT MEASURED ${phase}: ${why.split('\n')[0]}`);
  return lines;
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function printTable(r: Results): string {
  const m = r.machine;
  return [
    `Gatehouse benchmarks, ${r.mode} mode, ${r.database.version}, ${r.seconds} s`,
    `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.host}; load average ${m.loadAverage.start} at the start, ${m.loadAverage.end ?? '?'} at the end`,
    '',
    table(['#', 'figure', 'value', 'target', ''], rows(r)),
    '',
    ...details(r),
  ].join('\n');
}

/** bench/results/<YYYY-MM-DD>-<host>.json holds the day's runs; a new run replaces one of the same mode and database kind. */
export function writeJson(r: Results): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${r.date.slice(0, 10)}-${r.machine.host}.json`);
  const day = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { runs: Results[] }) : { runs: [] };
  // Every full run is kept (repeats of the same code show how far one run can be trusted);
  // a partial, profiled or quick run replaces the day's last one of its kind.
  const kept = (x: Results) =>
    (x.mode === 'full' && !x.only && !x.profiled) ||
    !(x.mode === r.mode && x.database.kind === r.database.kind && String(x.only) === String(r.only) && Boolean(x.profiled) === Boolean(r.profiled));
  const runs = day.runs.filter(kept);
  runs.push(r);
  writeFileSync(file, `${JSON.stringify({ runs }, null, 2)}\n`);
  return file;
}

/** Every run kept in bench/results/. */
function allRuns(): Results[] {
  if (!existsSync(RESULTS_DIR)) return [];
  const all: Results[] = [];
  for (const f of readdirSync(RESULTS_DIR).filter((f) => f.endsWith('.json'))) {
    try {
      all.push(...(JSON.parse(readFileSync(path.join(RESULTS_DIR, f), 'utf8')) as { runs: Results[] }).runs);
    } catch {
      // not ours
    }
  }
  return all;
}

const shown = (r: Results) => !r.only && !r.profiled;

/** The newest run of each database kind in bench/results/. */
export function latestRuns(): Results[] {
  const latest = new Map<string, Results>();
  for (const r of allRuns().filter(shown)) {
    const seen = latest.get(r.database.kind);
    if (!seen || seen.date < r.date) latest.set(r.database.kind, r);
  }
  return ['embedded', 'postgres'].map((k) => latest.get(k)).filter((r): r is Results => r !== undefined);
}

/**
 * The same code measured again on the same machine and database: how often each target was met
 * across those runs, since one run on a shared machine can be an unlucky one (or a lucky one).
 */
function repeats(r: Results): string[] {
  if (!r.code) return [];
  const same = allRuns().filter(
    (x) =>
      shown(x) &&
      x.code === r.code &&
      x.mode === r.mode &&
      x.database.kind === r.database.kind &&
      x.machine.host === r.machine.host &&
      x.machine.cpuModel === r.machine.cpuModel,
  );
  if (same.length < 2) return [`Code measured: \`${r.code}\` (one ${r.mode} run of it on this machine and database).`, ''];
  const met = new Map<string, { name: string; figure: number; met: number; measured: number; values: string[] }>();
  for (const x of same.sort((a, b) => a.date.localeCompare(b.date))) {
    for (const t of targets(x)) {
      if (t.met === undefined) continue;
      const m = met.get(`${t.figure} ${t.name}`) ?? { name: t.name, figure: t.figure, met: 0, measured: 0, values: [] };
      m.measured++;
      if (t.met) m.met++;
      m.values.push(t.value.split(' (')[0]!);
      met.set(`${t.figure} ${t.name}`, m);
    }
  }
  return [
    `Code measured: \`${r.code}\`, ${same.length} ${r.mode} runs of it on this machine and database (${same.map((x) => x.date.slice(11, 16)).join(', ')} UTC); each target, met in how many, and its values:`,
    '',
    ...[...met.values()].map((m) => `- ${m.figure}. ${m.name}: met in ${m.met} of ${m.measured} (${m.values.join(' | ')})`),
    '',
  ];
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function mdTable(header: string[], body: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...body.map((b) => `| ${b.map(mdEscape).join(' | ')} |`)].join('\n');
}

export function benchmarksMarkdown(runs: Results[]): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (`-- --quick` for a look in under 2 minutes; the full run takes under 15).',
    'Against the PostgreSQL server at `DATABASE_URL` when it is set, the embedded database otherwise; every',
    "benchmark runs on a database of its own, created and thrown away (the developer's data is never touched).",
    "All traffic is to 127.0.0.1; the load generator (undici, in the runner's process) shares the machine with the",
    'servers, which run as child processes. Every comparison is a ratio of two figures measured in the same run,',
    'because these machines are shared and noisy: the load average at the start and end of each run is recorded.',
    'This file shows the latest run of each database kind; every run is kept in `bench/results/`.',
    '`npm run bench -- --profile` adds CPU profiles of the servers during the measured windows (top frames below).',
    '',
  ];
  for (const r of runs) {
    const m = r.machine;
    out.push(
      `## ${r.database.kind === 'postgres' ? 'PostgreSQL' : 'Embedded (PGlite)'}: ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${r.mode} run`,
      '',
      `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB memory, Node ${m.node}, ${m.os}, host \`${m.host}\`;`,
      `database ${r.database.version}. Load average (1 min) ${m.loadAverage.start} at the start, ${m.loadAverage.end ?? '?'} at the end; the run took ${r.seconds} s.`,
      '',
      mdTable(['#', 'figure', 'value', 'target', ''], rows(r)),
      '',
      ...details(r).map((d) => `- ${d.trim()}`),
      '',
      ...repeats(r),
    );
    const missed = targets(r).filter((t: Target) => t.met === false);
    if (missed.length) {
      out.push('### Missed targets: cause and what would close them', '');
      for (const t of missed) out.push(`**${t.figure}. ${t.name}** (${t.value}; target ${t.target}).`, '', findings(t, r), '');
    }
    if (r.profiles.length) {
      out.push('### Profiles (main thread, busy time by module)', '');
      for (const p of r.profiles) {
        out.push(
          `- ${p.label}: ${p.topModules
            .slice(0, 6)
            .map((x) => `${x.name} ${x.share}%`)
            .join(', ')}`,
        );
      }
      out.push('');
    }
  }
  out.push(CHANGES);
  return `${out.join('\n').trimEnd()}\n`;
}

export function writeBenchmarksMd(): string {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  writeFileSync(file, benchmarksMarkdown(latestRuns()));
  return file;
}
