import { parseOptions } from '@node-rs/argon2';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { account } from '../../src/db/schema.ts';
import { Client } from '../support/client.ts';
import { freshDatabase } from '../support/databases.ts';
import { PASSWORD, seedSchools, startTestGatehouse } from '../support/test-gatehouse.ts';

describe('password hashing in service', () => {
  it('upgrades a stored hash at the next sign-in once the settings are raised', async () => {
    const database = await freshDatabase('embedded');
    const first = await startTestGatehouse('embedded', { database });
    await seedSchools(first);
    // Same database, stronger settings: as after an operator raises ARGON2_MEMORY_KIB.
    const raised = await startTestGatehouse('embedded', { database, env: { ARGON2_MEMORY_KIB: '32768', ARGON2_ITERATIONS: '3' } });
    try {
      const client = new Client(raised.url);
      expect((await client.signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
      const [row] = await raised.services.db.select({ hash: account.passwordHash }).from(account).where(eq(account.email, 'teacher@north.example'));
      const options = parseOptions(row!.hash!);
      expect(options.memoryCost).toBe(32768);
      expect(options.timeCost).toBe(3);
      // …and the upgraded hash still signs in.
      expect((await new Client(raised.url).signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
    } finally {
      await raised.close().catch(() => {});
      await first.close().catch(() => {});
    }
  });

  it('answers a flood beyond its hashing capacity with 503 and Retry-After, and serves the rest', async () => {
    const g = await startTestGatehouse('embedded', { env: { HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '2' } });
    try {
      await seedSchools(g);
      // How many sign-ins were in progress at once, seen at each admission.
      const { gate } = g.services.passwords;
      const admit = gate.admit.bind(gate);
      let peak = 0;
      gate.admit = (...args) => {
        const admitted = admit(...args);
        peak = Math.max(peak, gate.inProgress);
        return admitted;
      };
      const clients = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const c = new Client(g.url);
          await c.get('/north/login');
          return c;
        }),
      );
      const answers = await Promise.all(
        clients.map((c) => c.post('/north/login', { email: 'teacher@north.example', password: 'wrong', provider: 'identity' })),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      // Served: at least one; in progress at once, never more than one hashing plus two waiting
      // (how many are served in all depends on how soon the first finish: a fast machine serves
      // more of a burst; a busy one, whose event loop runs late, refuses sooner).
      expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1);
      expect(peak).toBeGreaterThanOrEqual(1);
      expect(peak).toBeLessThanOrEqual(3);
      expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
      const busy = answers.find((a) => a.status === 503)!;
      expect(busy.headers.get('retry-after')).toBe('1');
      expect(busy.html).toContain('Gatehouse is very busy');
    } finally {
      await g.close();
    }
  });

  it('lets a browser that has signed in before through a flood that fills the ordinary queue', async () => {
    const g = await startTestGatehouse('embedded', { env: { HASH_CONCURRENCY: '1', HASH_QUEUE_LIMIT: '2' } });
    try {
      await seedSchools(g);
      const owner = new Client(g.url);
      expect((await owner.signIn('north', 'teacher@north.example', PASSWORD)).status).toBe(303);
      await owner.post('/north/logout', {});
      await owner.get('/north/login');
      const strangers = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const c = new Client(g.url);
          await c.get('/north/login');
          return c;
        }),
      );
      const flood = strangers.map((c) => c.post('/north/login', { email: 'teacher@north.example', password: 'guess', provider: 'identity' }));
      const mine = owner.post('/north/login', { email: 'teacher@north.example', password: PASSWORD, provider: 'identity' });
      const answers = await Promise.all(flood);
      expect(answers.some((a) => a.status === 503)).toBe(true);
      expect((await mine).status).toBe(303);
    } finally {
      await g.close();
    }
  });
});
