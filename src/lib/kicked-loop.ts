// Work that runs every `pollMs` and at once when kicked (after a request queued some): passes
// never overlap, and kicks that arrive during a pass make one more pass.
export class KickedLoop {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private again = false;
  private started = false;

  constructor(
    private readonly pollMs: number,
    /** One pass; it should catch and log its own failures. */
    private readonly work: () => Promise<void>,
  ) {}

  get running(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
  }

  /** Safe to call any number of times; does nothing unless started. */
  kick(): void {
    if (!this.started) return;
    if (this.pass) {
      this.again = true;
      return;
    }
    this.pass = this.drain().finally(() => {
      this.pass = undefined;
      if (this.again) this.kick();
    });
  }

  /** Resolves when no pass is under way (one may start another as it ends: kicks during it). */
  async idle(): Promise<void> {
    while (this.pass) await this.pass;
  }

  /** Stops polling and waits for a pass under way. */
  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.timer);
    await this.pass;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      await this.work();
    } while (this.again && this.started);
  }
}
