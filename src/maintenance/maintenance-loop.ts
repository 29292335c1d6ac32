// Housekeeping that runs: a round a minute after start and then every
// MAINTENANCE_INTERVAL_MINUTES after the last one ended, in every instance (the round lock lets
// one at a time do the work). The timer never keeps the process alive; stop() waits for a round
// under way, which ends after its current batch.
import { describeFailure } from '../db/describe-failure.ts';
import { runMaintenanceRound } from './round.ts';

/** The round's services, and where a failure is told first: the database away is logged there, once. */
type RoundServices = Parameters<typeof runMaintenanceRound>[0] & { database?: { failed(err: unknown): boolean } };

const FIRST_ROUND_MS = 60_000;

export class MaintenanceLoop {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(
    private readonly services: RoundServices,
    private readonly firstRoundMs = FIRST_ROUND_MS,
  ) {}

  start(): void {
    this.schedule(this.firstRoundMs);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearTimeout(this.timer);
    await this.round;
  }

  private schedule(ms: number): void {
    if (this.stopping.signal.aborted) return;
    this.timer = setTimeout(() => this.run(), ms);
    this.timer.unref();
  }

  private run(): void {
    this.round = runMaintenanceRound(this.services, { signal: this.stopping.signal })
      .then(() => undefined)
      // The database unreachable, say: the next round tries again.
      .catch((err: unknown) => {
        if (this.services.database?.failed(err)) return;
        this.services.log.warn({ component: 'housekeeping', error: describeFailure(err) }, 'housekeeping: the round failed');
      })
      .finally(() => {
        this.round = undefined;
        this.schedule(this.services.config.maintenance.intervalMinutes * 60_000);
      });
  }
}
