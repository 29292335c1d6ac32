// Two Gatehouse instances on one fresh PostgreSQL database, each with its own pool, as two
// processes would be (both migrate at start, under the advisory lock); seeded with the schools.
import { openPostgres } from '../../src/db/connect.ts';
import { freshDatabase } from './databases.ts';
import { seedSchools, startTestGatehouse, type TestGatehouse } from './test-gatehouse.ts';

export interface TwoInstances {
  a: TestGatehouse;
  b: TestGatehouse;
  close(): Promise<void>;
}

export async function startTwoInstances(env: Record<string, string> = {}): Promise<TwoInstances> {
  const database = await freshDatabase('postgres');
  const [poolA, poolB] = await Promise.all([openPostgres(database.url!, 5), openPostgres(database.url!, 5)]);
  const a = await startTestGatehouse('postgres', { database: poolA, env });
  const b = await startTestGatehouse('postgres', { database: poolB, env });
  await seedSchools(a);
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      await database.close();
    },
  };
}
