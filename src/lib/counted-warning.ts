// A warning that an event repeated: counted, and written once per period while it goes on,
// rather than a line each time (a flood, or a guesser hammering a locked account, would fill
// the log). Each instance keeps its own count; the composition root makes one per kind.
import type { Logger } from 'pino';

export class CountedWarning {
  private counts: Map<string, number> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly message: string,
    private readonly periodMs = 10_000,
  ) {}

  /** Counts one, by `kind` (what was refused: 'password', 'second_factor'…). */
  note(kind: string): void {
    if (this.counts) {
      this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
      return;
    }
    const counts = new Map([[kind, 1]]);
    this.counts = counts;
    setTimeout(() => {
      this.counts = undefined;
      this.log.warn({ ...Object.fromEntries(counts), seconds: this.periodMs / 1000 }, this.message);
    }, this.periodMs).unref();
  }
}
