// What every measurement is given: the mode, the database kind, how long each of its phases
// may take, and (with --profile) CPU profiles of the servers during chosen windows.
import type { ChildServer } from './child.ts';
import { formatSummary, type ProfileSummary, summarise } from './cpu-profile.ts';
import type { DatabaseKind } from './database.ts';

export interface Context {
  quick: boolean;
  kind: DatabaseKind;
  /** When set, servers are started so that windows of their life can be CPU-profiled into it. */
  profileDir: string | undefined;
  /** The summaries of the profiles taken, for the results. */
  profiles: Array<ProfileSummary & { label: string }>;
  /** Seconds for a phase: the quick or the full figure. */
  seconds(quick: number, full: number): number;
  log(message: string): void;
  /** Runs `work`, profiling the server meanwhile when profiling is on. */
  profiled<T>(server: ChildServer<unknown>, label: string, work: () => Promise<T>): Promise<T>;
}

export function createContext(options: { quick: boolean; kind: DatabaseKind; profileDir: string | undefined }): Context {
  const t0 = performance.now();
  const log = (message: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
  const profiles: Context['profiles'] = [];
  return {
    ...options,
    profiles,
    seconds: (quick, full) => (options.quick ? quick : full),
    log,
    async profiled(server, label, work) {
      const { value, profile } = await server.profile(label, work);
      if (profile) {
        const summary = summarise(profile, 12);
        profiles.push({ label, ...summary });
        log(formatSummary(summary).replace(/^/gm, '    '));
      }
      return value;
    },
  };
}
