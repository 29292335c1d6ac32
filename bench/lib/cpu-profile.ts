// Reading a V8 CPU profile (node --cpu-prof): where the main thread's time went, by function
// (self time) and by package or source file. Only the main thread is sampled: argon2 runs on
// libuv's pool and shows here only as the time the main thread spent idle.
//   node --import tsx bench/lib/cpu-profile.ts <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Frame {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  topFunctions: Frame[];
  topModules: Frame[];
  /** The project's own functions (src/), with everything they called (inclusive). */
  topProjectInclusive: Frame[];
}

/** node_modules/<pkg> (or @scope/pkg), a project file (src/…), wasm, or node's own. */
function moduleOf(url: string, functionName: string): string {
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)') return functionName;
  if (url.startsWith('wasm://')) return 'wasm';
  if (url === '') return '(native/V8)';
  if (url.startsWith('node:internal/')) return url;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1]!;
  const own = url.match(/\/work\/[^/]+\/((?:src|bench|test)\/.*)$/) ?? url.match(/((?:src|bench)\/.*)$/);
  return own ? own[1]! : url;
}

export function summarise(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const mod = moduleOf(url, functionName);
    const name = `${functionName || '(anonymous)'} ${mod}${url && !url.startsWith('wasm') ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    modules.set(mod, (modules.get(mod) ?? 0) + us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const own = moduleOf(frame.url, frame.functionName);
      if (!own.startsWith('src/')) continue;
      const key = `${frame.functionName || '(anonymous)'} ${own}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs;
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: Math.round((us / busyUs) * 1000) / 10 }));
  return {
    file,
    totalMs: Math.round(totalUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    topFunctions: rank(functions),
    topModules: rank(modules),
    topProjectInclusive: rank(inclusive),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const lines = [`${s.file}: ${s.totalMs} ms sampled, ${s.idleMs} ms idle; busy time by module, then by function (self):`];
  for (const f of s.topModules) lines.push(`  ${String(f.share).padStart(5)}%  ${String(f.ms).padStart(6)} ms  ${f.name}`);
  lines.push('  --');
  for (const f of s.topFunctions) lines.push(`  ${String(f.share).padStart(5)}%  ${String(f.ms).padStart(6)} ms  ${f.name}`);
  lines.push("  -- the project's functions, inclusive:");
  for (const f of s.topProjectInclusive) lines.push(`  ${String(f.share).padStart(5)}%  ${String(f.ms).padStart(6)} ms  ${f.name}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node --import tsx bench/lib/cpu-profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatSummary(summarise(file, Number(top ?? 20))));
}
