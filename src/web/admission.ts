// Admission at the door under a flood, for this instance: the hashing gate a sign-in is
// admitted to, how late the event loop runs, the busy page every refusal sends, and the count of
// refusals for the operator's log (one warning every 10 s while they go on, not a line each).
// Made by the composition root (services.ts), used by web/front-door.ts and
// middleware/sign-in-admission.ts.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { HashingGate } from '../auth/methods/password/hashing-gate.ts';
import { CountedWarning } from '../lib/counted-warning.ts';
import type { Metrics } from '../lib/metrics.ts';

/** The 503 every refusal sends: the same bytes each time, rendered once. */
export interface BusyReply {
  status: 503;
  /** Every page's security headers, no-store, Retry-After: 1 (no cookies). */
  headers: Record<string, string>;
  body: Buffer;
}

// How late the event loop runs, on average over the last half second: past LAG_LIMIT_MS the
// process is saturated, and another stranger's sign-in would make every request later, the
// real people's too.
export const LAG_LIMIT_MS = 50;
const LAG_RESOLUTION_MS = 10;

export class SignInAdmission {
  private lag: { histogram: ReturnType<typeof monitorEventLoopDelay>; timer: NodeJS.Timeout } | undefined;
  private lateMs = 0;
  private readonly refusals: CountedWarning;

  constructor(
    readonly gate: HashingGate,
    readonly busy: BusyReply,
    log: Logger,
    private readonly metrics: Metrics,
  ) {
    this.refusals = new CountedWarning(log, 'sign-in attempts refused: too busy (503)');
  }

  /** Measured from the first sign-in on, not through start-up's own work (migrations, demo data). */
  private measure(): void {
    const histogram = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    histogram.enable();
    const timer = setInterval(() => {
      this.lateMs = histogram.count > 0 ? histogram.mean / 1e6 - LAG_RESOLUTION_MS : 0;
      histogram.reset();
    }, 500);
    timer.unref();
    this.lag = { histogram, timer };
  }

  /** Whether the event loop has been running more than LAG_LIMIT_MS late. */
  overloaded(): boolean {
    if (!this.lag) this.measure();
    return this.lateMs > LAG_LIMIT_MS;
  }

  /** Whether a stranger's sign-in would be refused now (cheap enough to ask before parsing). */
  refusesStrangers(): boolean {
    return this.gate.refusesStrangers(this.overloaded());
  }

  /** Admits a sign-in (a known browser always); every true needs a release() on the gate. */
  admit(knownBrowser: boolean): boolean {
    return this.gate.admit(knownBrowser, !knownBrowser && this.overloaded());
  }

  /** Counts a refusal for the operator's log. */
  refused(): void {
    this.refusals.note('refused');
    this.metrics.signIns.inc({ outcome: 'refused_busy' });
    this.metrics.hashingRefusals.inc({ where: 'door' });
  }

  stop(): void {
    if (!this.lag) return;
    clearInterval(this.lag.timer);
    this.lag.histogram.disable();
  }
}
