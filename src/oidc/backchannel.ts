// Back-channel logout: the logout tokens auth/oidc-grants.ts queued (a sign-out, a revoked
// session, a disabled account, a reset password, removed devices, a leaver) are signed and
// POSTed to each system's backchannel_logout_uri by oidc-provider (Client#backchannelLogout),
// after the transaction that queued them, never in the person's request. Every instance runs
// one sender; a claim holds rows for a while so that two never send the same one; a failure
// is retried with backoff for a day, then given up and logged.
import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.ts';
import { oidcLogoutOutbox } from '../db/schema.ts';
import { KickedLoop } from '../lib/kicked-loop.ts';

const BATCH = 20;
/** Longer than a batch of sends can take (oidc-provider's request timeout is 2.5 s each). */
const CLAIM_MS = 5 * 60_000;
const GIVE_UP_MS = 24 * 3_600_000;
const retryDelayMs = (attempts: number) => Math.min(15 * 60_000, 2000 * 2 ** attempts);

export class BackchannelLogoutSender {
  private readonly loop: KickedLoop;

  constructor(
    private readonly db: Db,
    private readonly provider: () => Promise<Provider>,
    private readonly log: Logger,
    pollMs: number,
  ) {
    this.loop = new KickedLoop(pollMs, () => this.sendAllDue());
  }

  start(): void {
    this.loop.start();
  }

  /** Logouts were queued: send soon. */
  kick(): void {
    this.loop.kick();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async sendAllDue(): Promise<void> {
    try {
      while (this.loop.running && (await this.sendDue()) === BATCH);
    } catch (err) {
      this.log.warn({ err }, 'back-channel logout pass failed');
    }
  }

  /** Claims a batch that is due and sends it; answers how many it claimed. */
  private async sendDue(): Promise<number> {
    const due = this.db
      .select({ id: oidcLogoutOutbox.id })
      .from(oidcLogoutOutbox)
      .where(and(isNull(oidcLogoutOutbox.sentAt), isNull(oidcLogoutOutbox.failedAt), lte(oidcLogoutOutbox.nextAttemptAt, sql`now()`)))
      .orderBy(asc(oidcLogoutOutbox.nextAttemptAt))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    const claimed = await this.db
      .update(oidcLogoutOutbox)
      .set({ nextAttemptAt: sql`now() + ${`${CLAIM_MS} milliseconds`}::interval` })
      .where(inArray(oidcLogoutOutbox.id, due))
      .returning();
    if (claimed.length === 0) return 0;
    const provider = await this.provider();
    await Promise.all(claimed.map((row) => this.send(provider, row)));
    return claimed.length;
  }

  private async send(provider: Provider, row: typeof oidcLogoutOutbox.$inferSelect): Promise<void> {
    const done = (set: Partial<typeof oidcLogoutOutbox.$inferInsert>) => this.db.update(oidcLogoutOutbox).set(set).where(eq(oidcLogoutOutbox.id, row.id));
    const client = await provider.Client.find(row.clientId);
    // Disabled or deleted since, or it never gave an address: nothing to tell.
    if (!client?.backchannelLogoutUri) return void (await done({ sentAt: new Date(), lastError: 'no back-channel logout address' }));
    try {
      await (client as unknown as { backchannelLogout(sub: string, sid: string): Promise<void> }).backchannelLogout(row.accountId, row.sid ?? '');
      await done({ sentAt: new Date(), attempts: row.attempts + 1 });
    } catch (err) {
      const attempts = row.attempts + 1;
      const message = err instanceof Error ? err.message.slice(0, 300) : 'failed';
      const givingUp = Date.now() - row.createdAt.getTime() > GIVE_UP_MS;
      this.log.warn({ outboxId: row.id, clientId: row.clientId, attempts, givingUp, err: message }, 'back-channel logout not delivered');
      await done(
        givingUp
          ? { attempts, failedAt: new Date(), lastError: message }
          : { attempts, lastError: message, nextAttemptAt: new Date(Date.now() + retryDelayMs(attempts)) },
      );
    }
  }
}
