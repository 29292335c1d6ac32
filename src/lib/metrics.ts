// What an operator's dashboard reads (Prometheus text format, prom-client), served on
// METRICS_PORT. One registry per Gatehouse (never prom-client's global one, so that several
// instances in one process, as in the tests, keep their own counts), made in services.ts and
// passed down like the other long-lived services. Nothing personal in any label: outcomes,
// methods and route patterns (`/:site/login`, never the school's slug or a path with an id).
//
// Adding counts for a feature (OpenID Connect and push have theirs below): declare the
// counter here, with a fixed list of label values in its help text, and call
// `services.metrics.<feature>.<counter>.inc({ ... })` where the thing happens.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type SignInOutcome = 'success' | 'second_step' | 'wrong_password' | 'throttled' | 'refused_busy';
export type SecondFactorOutcome = 'success' | 'wrong' | 'throttled' | 'locked';

/** What a gauge reads at each scrape; undefined leaves it out of that scrape (the database away, say). */
type Reading<T> = () => T | undefined | Promise<T | undefined>;

export class Metrics {
  readonly registry = new Registry();

  readonly signIns = this.counter(
    'gatehouse_sign_ins_total',
    'Password sign-ins by outcome: success (a session), second_step (a pending sign-in), wrong_password, throttled, refused_busy.',
    ['outcome'] as const,
  );

  readonly secondFactors = this.counter(
    'gatehouse_second_factors_total',
    'Second factors checked (sign-in, elevation, confirming it is you) by method and outcome: success, wrong, throttled, locked.',
    ['method', 'outcome'] as const,
  );

  readonly hashingRefusals = this.counter(
    'gatehouse_hashing_refusals_total',
    'Password work refused because hashing was full: where = door (a sign-in refused before it was read) or queue (a hash the queue had no room for).',
    ['where'] as const,
  );

  readonly requestDuration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'Requests by method, route pattern and status class (2xx, 3xx, 4xx, 5xx).',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly databaseErrors = this.counter(
    'gatehouse_database_errors_total',
    'Failed database queries: kind = unavailable (the database could not be reached) or other (logged as an unhandled error).',
    ['kind'] as const,
  );

  readonly databaseAvailable = new Gauge({
    name: 'gatehouse_database_available',
    help: '1 while the database answers, 0 from the first failed query of an outage until it answers again.',
    registers: [this.registry],
  });

  /** For the OpenID Connect provider (counted in oidc/service.ts). */
  readonly oidc = {
    authorizations: this.counter(
      'gatehouse_oidc_authorizations_total',
      'OpenID Connect authorization requests by outcome: issued (a code), denied (the person or a rule said no), error (a bad request).',
      ['outcome'] as const,
    ),
    tokens: this.counter(
      'gatehouse_oidc_tokens_total',
      'OpenID Connect token requests by grant (authorization_code, refresh_token, other) and outcome (issued, refused).',
      ['grant', 'outcome'] as const,
    ),
  };

  /** For the Gatehouse Authenticator's Web Push notifications. */
  readonly push = {
    notifications: this.counter(
      'gatehouse_push_notifications_total',
      'Push notifications by outcome: sent, failed (will be tried again), gone (the subscription expired and was removed).',
      ['outcome'] as const,
    ),
    subscriptions: this.counter('gatehouse_push_subscriptions_total', 'Push subscriptions added or removed: change = added, removed.', ['change'] as const),
    answers: this.counter(
      'gatehouse_push_answers_total',
      "Answers from the Gatehouse Authenticator by outcome: approved, code_sent, denied, or the refusal's code (wrong_number, wrong_code, throttled, expired, answered, invalid).",
      ['outcome'] as const,
    ),
  };

  constructor() {
    this.databaseAvailable.set(1);
  }

  /** The hashing gate's state, read at each scrape. */
  observeHashing(read: Reading<{ queued: number; active: number; signInsInProgress: number }>): void {
    this.gauges('gatehouse_hashing', read, {
      queued: 'Password hashes waiting for a thread.',
      active: 'Password hashes running now.',
      signInsInProgress: 'Sign-ins admitted and not yet finished.',
    });
  }

  /** The PostgreSQL pool (none on the embedded database). */
  observePool(read: Reading<{ total: number; idle: number; waiting: number }>): void {
    this.gauges('gatehouse_database_pool', read, {
      total: 'Connections open in the pool.',
      idle: 'Connections open and idle.',
      waiting: 'Queries waiting for a connection.',
    });
  }

  /** The mail outbox: what waits to be sent, and for how long the oldest has. */
  observeOutbox(read: Reading<{ unsent: number; oldestUnsentSeconds: number }>): void {
    this.gauges('gatehouse_mail_outbox', read, {
      unsent: 'Messages in the outbox not yet sent nor given up.',
      oldestUnsentSeconds: 'Age in seconds of the oldest of them (0 when there are none).',
    });
  }

  /** Node's own: memory, CPU, event loop lag, garbage collection (only when served: they cost a little). */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry, prefix: 'gatehouse_' });
  }

  /** One gauge per field, all filled by one reading per scrape. */
  private gauges<T extends Record<string, number>>(prefix: string, read: Reading<T>, help: Record<keyof T & string, string>): void {
    let reading: Promise<T | undefined> | undefined;
    const fields = Object.keys(help) as Array<keyof T & string>;
    for (const field of fields)
      new Gauge({
        name: `${prefix}_${field.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)}`,
        help: help[field],
        registers: [this.registry],
        // The first gauge of a scrape reads; the others use its reading.
        collect: async function (this: Gauge) {
          const first = field === fields[0];
          if (first || !reading) reading = Promise.resolve(read()).catch(() => undefined);
          const value = (await reading)?.[field];
          this.reset();
          if (value !== undefined) this.set(value);
        },
      });
  }

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** The text a scrape gets, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
