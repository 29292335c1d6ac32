// Argon2id costs ~19 MiB and tens of milliseconds of a core per call. The gate runs at most
// `concurrency` hashes at once and queues only as many as it can finish within `maxWaitMs`;
// past that it refuses (the caller answers 503 with Retry-After) instead of piling up memory.
// A second, priority lane serves sign-ins from browsers that have signed in to that account
// before: a flood of strangers' guesses fills the ordinary lane, never the real staff's.
// Sign-ins are also admitted at the door (admit/release, see web/middleware/sign-in-admission.ts):
// a stranger's sign-in that could not be hashed in time is refused before it does anything else.
import { availableParallelism } from 'node:os';

export class HashingBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('password hashing is at capacity');
    this.name = 'HashingBusy';
  }
}

export interface HashingGateOptions {
  concurrency?: number;
  /** A fixed queue length; when unset, the queue is as long as `maxWaitMs` allows at the measured speed. */
  queueLimit?: number;
  maxWaitMs?: number;
  /** Milliseconds from some fixed point; tests pass their own clock. */
  now?: () => number;
  /** Told of every hash refused for want of room in the queue (the metrics count them). */
  onRefused?: () => void;
}

export class HashingGate {
  readonly concurrency: number;
  private readonly queueLimit: number | undefined;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private active = 0;
  /** Hashes finished since start: lets tests prove every failure path costs exactly one. */
  completed = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly waitingFirst: Array<() => void> = [];
  /** Sign-ins admitted at the door (see admit) and not yet finished. */
  private admitted = 0;
  /** Moving average of one hash's duration, for sizing the queue by time. */
  private averageMs = 50;

  constructor(options: HashingGateOptions = {}) {
    this.concurrency = options.concurrency ?? availableParallelism();
    this.queueLimit = options.queueLimit;
    this.maxWaitMs = options.maxWaitMs ?? 1000;
    this.now = options.now ?? (() => performance.now());
    this.onRefused = options.onRefused;
  }

  private readonly onRefused: (() => void) | undefined;

  /** Hashes running now. */
  get running(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length + this.waitingFirst.length;
  }

  private get capacity(): number {
    if (this.queueLimit !== undefined) return this.queueLimit;
    return Math.max(this.concurrency, Math.floor((this.maxWaitMs / this.averageMs) * this.concurrency));
  }

  /** Sign-ins admitted by admit() and not yet released. */
  get inProgress(): number {
    return this.admitted;
  }

  /**
   * Whether admit() would refuse a stranger now: as many sign-ins are already in progress as the
   * gate could hash within `maxWaitMs`, or hashes are queueing while the process is `saturated`
   * (its event loop running late). Cheap enough to ask before a request is even parsed.
   */
  refusesStrangers(saturated = false): boolean {
    return (saturated && this.waiting.length > 0) || this.admitted >= this.concurrency + this.capacity;
  }

  /**
   * Admission at the door, before a sign-in does any other work (its database reads included).
   * A stranger is refused when refusesStrangers(saturated); a `priority` sign-in (a browser
   * that has signed in to that account before) is always admitted. Every true needs a release().
   */
  admit(priority = false, saturated = false): boolean {
    if (!priority && this.refusesStrangers(saturated)) return false;
    this.admitted++;
    return true;
  }

  /** A sign-in admitted by admit() has finished. */
  release(): void {
    if (this.admitted > 0) this.admitted--;
  }

  async run<T>(work: () => Promise<T>, { priority = false }: { priority?: boolean } = {}): Promise<T> {
    if (this.active >= this.concurrency) {
      const lane = priority ? this.waitingFirst : this.waiting;
      if (lane.length >= this.capacity) {
        this.onRefused?.();
        throw new HashingBusy(1);
      }
      await new Promise<void>((resolve) => lane.push(resolve));
    } else {
      this.active++;
    }
    const started = this.now();
    try {
      return await work();
    } finally {
      this.completed++;
      this.averageMs = this.averageMs * 0.9 + (this.now() - started) * 0.1;
      const next = this.waitingFirst.shift() ?? this.waiting.shift();
      if (next)
        next(); // hand the slot straight over: `active` stays the same
      else this.active--;
    }
  }
}
