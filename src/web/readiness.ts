// Whether this instance should be sent requests (GET /healthz/ready): the database answers, it
// has every migration this version carries, and the instance is not shutting down. A load
// balancer takes a not-ready instance out of rotation, and puts it back once ready again.
import type { DatabaseAvailability } from '../db/availability.ts';

export interface ReadinessReport {
  ready: boolean;
  database: boolean;
  migrations: boolean;
  shuttingDown: boolean;
}

export class Readiness {
  /** Set first thing on SIGTERM (gatehouse.ts), before the server stops taking connections. */
  shuttingDown = false;
  private migrated = false;

  constructor(
    private readonly database: DatabaseAvailability,
    private readonly migrationsApplied: () => Promise<boolean>,
  ) {}

  async check(): Promise<ReadinessReport> {
    const database = await this.database.answers();
    // Once applied they stay applied: asked until then only.
    if (database && !this.migrated) this.migrated = await this.migrationsApplied().catch(() => false);
    const migrations = this.migrated;
    return { ready: database && migrations && !this.shuttingDown, database, migrations, shuttingDown: this.shuttingDown };
  }
}
