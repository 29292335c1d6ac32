// One run's results: every figure, the machine and database, and each target met or missed.

import type { AuthenticatedPage } from '../measure-authenticated-page.ts';
import type { ColdStart } from '../measure-cold-start.ts';
import type { Flood } from '../measure-flood.ts';
import type { StaffImport } from '../measure-import.ts';
import type { OidcFlowFigures } from '../measure-oidc-flows.ts';
import type { Peer } from '../measure-peer.ts';
import type { PushRoundTrip } from '../measure-push-round-trip.ts';
import type { PushWaiting } from '../measure-push-waiting.ts';
import type { Search } from '../measure-search.ts';
import type { SignInLatency } from '../measure-sign-in-latency.ts';
import type { HashBound, SignInThroughput } from '../measure-sign-in-throughput.ts';
import type { ProfileSummary } from './cpu-profile.ts';
import type { DatabaseKind } from './database.ts';
import type { Machine } from './machine.ts';
import { ratio, round } from './stats.ts';

export interface Results {
  /** ISO time the run began. */
  date: string;
  mode: 'quick' | 'full';
  /** The code measured: the last commit that changed it, with "+changes" when the working tree differed from it. */
  code?: string;
  /** Set when only some figures were measured (--only): such runs are kept but not shown in BENCHMARKS.md. */
  only?: number[];
  /** The servers ran under the CPU profiler (--profile), which slows them: such runs are not shown in BENCHMARKS.md. */
  profiled?: boolean;
  seconds: number;
  machine: Machine;
  database: { kind: DatabaseKind; version: string };
  figures: {
    signInThroughput?: {
      hashBound: HashBound;
      signIns: SignInThroughput;
      /** sign-ins ÷ hashes, best concurrency. */
      ratio: number;
      signInsPerCore: number;
      keycloakPerVcpu: number;
    };
    signInLatency?: SignInLatency & { oneHashMs: number; limitMs: number };
    authenticatedPage?: AuthenticatedPage;
    peer?: Peer & { signInRatio: number; sessionCheckRatio: number; gatehouseSignInsPerSecond: number; gatehousePagesPerSecond: number };
    search?: Search;
    /** 8. OpenID Connect: whole code flows against password sign-ins, token and userinfo rates. */
    oidcFlows?: OidcFlowFigures;
    flood?: Flood;
    coldStart?: ColdStart;
    /** 9. Admin > Imports: a 5,000-row staff file previewed, applied and imported again. */
    staffImport?: StaffImport;
    /** 10. The Gatehouse Authenticator's approval, from the phone's answer to the desktop signed in (PostgreSQL). */
    pushRoundTrip?: PushRoundTrip;
    /** 11. Sign-ins waiting for the Gatehouse Authenticator: memory each, and the authenticated page beside them (PostgreSQL). */
    pushWaiting?: PushWaiting;
  };
  /** Phase name -> why it could not be measured. */
  errors: Record<string, string>;
  /**
   * Phase name -> the 1-minute load average before and after it, and the CPU the machine spent
   * busy in the half second before it while this run's own processes were idle (other work on
   * a shared machine, in cores).
   */
  phaseLoad: Record<string, { loadAverage: [number, number]; backgroundCores: number }>;
  profiles: Array<ProfileSummary & { label: string }>;
}

export interface Target {
  id:
    | 'sign-in-throughput'
    | 'sign-in-latency'
    | 'authenticated-page'
    | 'peer-sign-in'
    | 'peer-session'
    | 'search'
    | 'oidc-flows'
    | 'flood-rss'
    | 'flood-real-user'
    | 'flood-5xx'
    | 'cold-start'
    | 'staff-import'
    | 'push-round-trip'
    | 'push-waiting';
  figure: number;
  name: string;
  value: string;
  target: string;
  /** undefined: not measured in this run. */
  met: boolean | undefined;
}

const fmt = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? 'n/a' : String(round(n, digits)));
const pct = (r: number | undefined) => (r === undefined || Number.isNaN(r) ? 'n/a' : `${Math.round(r * 100)}%`);

export function targets(r: Results): Target[] {
  const f = r.figures;
  const t = f.signInThroughput;
  const l = f.signInLatency;
  const a = f.authenticatedPage;
  const p = f.peer;
  const s = f.search;
  const fl = f.flood;
  const c = f.coldStart;
  const im = f.staffImport;
  const pr = f.pushRoundTrip;
  const pw = f.pushWaiting;
  const of = f.oidcFlows;
  return [
    {
      id: 'sign-in-throughput',
      figure: 1,
      name: 'Sign-ins ÷ argon2id bound',
      value: t ? `${fmt(t.signIns.best.signInsPerSecond)}/s ÷ ${fmt(t.hashBound.hashesPerSecond)}/s = ${pct(t.ratio)}` : 'n/a',
      target: '≥ 90%',
      met: t ? t.ratio >= 0.9 : undefined,
    },
    {
      id: 'sign-in-latency',
      figure: 2,
      name: 'Sign-in p99 at half throughput',
      value: l ? `${fmt(l.postMs.p99)} ms (p50 ${fmt(l.postMs.p50)}, p95 ${fmt(l.postMs.p95)}) at ${fmt(l.ratePerSecond)}/s` : 'n/a',
      target: l ? `≤ 2 × one hash = ${fmt(l.limitMs)} ms` : '≤ 2 × one hash',
      met: l ? l.failed === 0 && l.postMs.p99 <= l.limitMs : undefined,
    },
    {
      id: 'authenticated-page',
      figure: 3,
      name: 'Authenticated page ÷ bare Hono',
      value: a ? `${fmt(a.pagePerSecond)}/s ÷ ${fmt(a.barePerSecond)}/s = ${pct(a.ratio)}` : 'n/a',
      target: '≥ 50%',
      met: a ? a.ratio >= 0.5 : undefined,
    },
    {
      id: 'peer-sign-in',
      figure: 4,
      name: 'Sign-ins: Gatehouse ÷ better-auth',
      value: p ? `${fmt(p.gatehouseSignInsPerSecond)}/s ÷ ${fmt(p.signIn.best.signInsPerSecond)}/s = ${fmt(p.signInRatio, 2)}` : 'n/a',
      target: '> 1 (ahead)',
      met: p ? p.signInRatio > 1 : undefined,
    },
    {
      id: 'peer-session',
      figure: 4,
      name: 'Session checks: Gatehouse page ÷ better-auth get-session',
      value: p ? `${fmt(p.gatehousePagesPerSecond)}/s ÷ ${fmt(p.sessionCheck.perSecond)}/s = ${fmt(p.sessionCheckRatio, 2)}` : 'n/a',
      target: '> 1 (ahead)',
      met: p ? p.sessionCheckRatio > 1 : undefined,
    },
    {
      id: 'search',
      figure: 5,
      name: `Quick User Search p95 (${s ? `${s.usersPerSite.toLocaleString('en-GB')} of ${s.totalUsers.toLocaleString('en-GB')}` : 'site of 100,000'})`,
      value: s ? `prefix ${fmt(s.prefix.p95)} ms (p50 ${fmt(s.prefix.p50)}), part-of-word ${fmt(s.partOfWord.p95)} ms (p50 ${fmt(s.partOfWord.p50)})` : 'n/a',
      target: r.database.kind === 'postgres' ? '≤ 10 ms (PostgreSQL)' : '≤ 10 ms on PostgreSQL (embedded: for reference)',
      met: s && r.database.kind === 'postgres' ? Math.max(s.prefix.p95, s.partOfWord.p95) <= 10 : undefined,
    },
    {
      id: 'flood-rss',
      figure: 6,
      name: 'Flood: peak RSS',
      value: fl ? `${fmt(fl.hwmMiB, 0)} MiB (VmHWM over the flood; ${fmt(fl.rssBeforeMiB, 0)} MiB before it)` : 'n/a',
      target: '≤ 512 MiB',
      met: fl ? fl.hwmMiB <= 512 : undefined,
    },
    {
      id: 'flood-real-user',
      figure: 6,
      name: 'Flood: the real sign-ins',
      value: fl
        ? `${fl.real.succeeded}/${fl.real.attempted} succeeded, ${fl.real.within2s} within 2 s; p50 ${fmt(fl.real.ms.p50, 0)} ms, max ${fmt(fl.real.ms.max, 0)} ms`
        : 'n/a',
      target: 'every one, each ≤ 2 s',
      met: fl ? fl.real.attempted > 0 && fl.real.within2s === fl.real.attempted : undefined,
    },
    {
      id: 'flood-5xx',
      figure: 6,
      name: 'Flood: no 5xx but the deliberate 503',
      value: fl
        ? `${fl.unexpected5xx} other 5xx; ${Object.entries(fl.statuses)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}; ${fl.abandoned} unanswered ${fl.drainSeconds} s after the flood`
        : 'n/a',
      target: '0',
      met: fl ? fl.unexpected5xx === 0 : undefined,
    },
    {
      id: 'cold-start',
      figure: 7,
      name: 'Cold start to the first sign-in page',
      value: c ? `${fmt(c.medianMs, 0)} ms (median of ${c.runsMs.join(', ')})` : 'n/a',
      target: '≤ 2000 ms',
      met: c ? c.medianMs <= 2000 : undefined,
    },
    {
      id: 'oidc-flows',
      figure: 8,
      name: 'Whole OpenID Connect code flows ÷ password sign-ins',
      value: of
        ? `${fmt(of.codeFlowsPerSecond)}/s ÷ ${fmt(of.passwordSignInsPerSecond)}/s = ${fmt(of.ratio, 2)} (the library alone allows ${fmt(of.ratioCeiling, 2)})`
        : 'n/a',
      target: '≥ 0.8',
      met: of ? of.ratio >= 0.8 && of.failed === 0 : undefined,
    },
    {
      id: 'staff-import',
      figure: 9,
      name: `Staff import of ${im ? im.rows.toLocaleString('en-GB') : '5,000'} rows: preview, apply`,
      value: im
        ? `preview ${fmt(im.previewMs, 0)} ms, apply ${fmt(im.applyMs, 0)} ms (with first-time emails ${fmt(im.applyWithEmailsMs, 0)} ms), the same file again ${fmt(im.reimportMs, 0)} ms`
        : 'n/a',
      target: `each ≤ ${im?.targetMs ?? 5000} ms`,
      met: im ? Math.max(im.previewMs, im.applyMs, im.applyWithEmailsMs, im.reimportMs) <= im.targetMs : undefined,
    },
    {
      id: 'push-round-trip',
      figure: 10,
      name: 'Gatehouse Authenticator approval round trip p99, two instances on PostgreSQL',
      value: pr ? `${fmt(pr.two.p99)} ms (p50 ${fmt(pr.two.p50)}; one instance p50 ${fmt(pr.one.p50)}, p99 ${fmt(pr.one.p99)})` : 'n/a',
      target: '≤ 250 ms',
      met: pr ? pr.two.p99 <= 250 : undefined,
    },
    {
      id: 'push-waiting',
      figure: 11,
      name: `${pw ? pw.waiting.toLocaleString('en-GB') : '1,000'} sign-ins waiting for approval: memory, and the authenticated page beside them`,
      value: pw
        ? `heap +${fmt(pw.heapMiB)} MiB (${fmt(pw.heapKiBEach)} KiB each), RSS +${fmt(pw.rssMiB)} MiB; page ${fmt(pw.pagesPerSecond.beside)}/s beside them ÷ ${fmt(pw.pagesPerSecond.without)}/s without = ${pct(pw.ratio)}`
        : 'n/a',
      target: 'reported (no target)',
      met: undefined,
    },
  ];
}

export { ratio };
