// Letting the requests in flight finish when the instance shuts down. Every request passes
// through track(); once draining, every response says `Connection: close`, so a keep-alive
// client opens its next connection elsewhere (this one no longer listens) instead of having a
// connection reset under it, and finish() resolves when the last request in flight is answered.
import type { IncomingMessage, ServerResponse } from 'node:http';

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

export class Drain {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;
  private settled: (() => void) | undefined;

  /** The listener, counting what is in flight. */
  track(next: Listener): Listener {
    return (req, res) => {
      this.inFlight.add(res);
      if (this.draining) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.inFlight.delete(res);
        if (this.inFlight.size === 0) this.settled?.();
      });
      return next(req, res);
    };
  }

  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * From now on no connection is kept alive; resolves once nothing is in flight, or after
   * `graceMs` with how many requests were still unanswered then (0 when all finished).
   */
  finish(graceMs: number): Promise<number> {
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    if (this.inFlight.size === 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.inFlight.size), graceMs);
      this.settled = () => {
        clearTimeout(timer);
        resolve(0);
      };
    });
  }
}
