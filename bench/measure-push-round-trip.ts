// 9. The Gatehouse Authenticator's approval round trip: from the phone's answer leaving to the
// desktop's sign-in completed (its waiting page's event stream says "approved", and its form
// post comes back signed in), p50/p99, on one instance and on two instances on one PostgreSQL
// (the page waiting on A, the answer reaching B, the wake-up through LISTEN/NOTIFY). Target:
// p99 <= 250 ms on two. A figure of bench/run.ts; alone:
//   node --import tsx bench/measure-push-round-trip.ts   (PostgreSQL at TEST_POSTGRES_URL or 127.0.0.1:5432)
// In one process with the servers it measures (the phone and desktop are plain HTTP clients).
import { pathToFileURL } from 'node:url';
import { addSiteUser } from '../src/directory/site-users.ts';
import { Client } from '../test/support/client.ts';
import { enrolmentFrom, openEvents, Phone, requestShown } from '../test/support/phone.ts';
import { PASSWORD, type TestGatehouse } from '../test/support/test-gatehouse.ts';
import { startTwoInstances } from '../test/support/two-instances.ts';
import { type Latency, latency } from './lib/stats.ts';

export interface PushRoundTrip {
  /** The page waiting and the answer on one instance. */
  one: Latency;
  /** The page waiting on one, the answer reaching the other. */
  two: Latency;
  rounds: number;
}

/** Round trips after the first few, which warm the connections and the JIT. */
const WARM_UP = 5;

async function roundTrips(waitOn: TestGatehouse, answerOn: TestGatehouse, label: string, rounds: number): Promise<Latency> {
  const email = `bench-${label}@north.example`;
  await addSiteUser(waitOn.services.db, {
    site: 'north',
    email,
    fullName: `Bench ${label}`,
    groupName: 'Teachers',
    passwordHash: await waitOn.services.passwords.hash(PASSWORD),
  });
  const settings = new Client(waitOn.url);
  await settings.signIn('north', email, PASSWORD);
  const phone = await Phone.make(answerOn.url);
  const registered = await phone.register(enrolmentFrom((await settings.get('/north/account/security-keys/authenticator/new')).html).token);
  if (registered.status !== 201) throw new Error(`could not register: ${JSON.stringify(registered.json)}`);
  const samples: number[] = [];
  for (let i = 0; i < rounds + WARM_UP; i++) {
    const desk = new Client(waitOn.url);
    await desk.signIn('north', email, PASSWORD);
    const shown = requestShown((await desk.get('/north/login/second-step')).html)!;
    const waiting = await openEvents(`${waitOn.url}/authenticator/api/sign-in-requests/${shown.requestId}/events`);
    await waiting.next('status'); // pending
    const jws = await phone.sign({ requestId: shown.requestId, decision: 'approve', number: shown.number });
    const t0 = performance.now();
    const answered = phone.api('answer', { jws });
    await waiting.next('status'); // approved
    const done = await desk.post('/north/login/second-step', { method: 'push', request: shown.requestId });
    const ms = performance.now() - t0;
    waiting.close();
    if ((await answered).status !== 200 || done.location !== '/north/') throw new Error('a round trip did not sign in');
    if (i >= WARM_UP) samples.push(ms);
  }
  return latency(samples);
}

export async function measurePushRoundTrip(o: { rounds: number; log?: (line: string) => void }): Promise<PushRoundTrip> {
  const instances = await startTwoInstances({ WEB_PUSH: 'off', PUBLIC_URL: 'http://gatehouse.test', GEOIP_DB: 'off' });
  try {
    const one = await roundTrips(instances.a, instances.a, 'one', o.rounds);
    o.log?.(`  one instance:  p50 ${one.p50} ms, p95 ${one.p95} ms, p99 ${one.p99} ms, max ${one.max} ms (${one.count} round trips)`);
    const two = await roundTrips(instances.a, instances.b, 'two', o.rounds);
    o.log?.(`  two instances: p50 ${two.p50} ms, p95 ${two.p95} ms, p99 ${two.p99} ms, max ${two.max} ms (${two.count} round trips; target p99 <= 250 ms)`);
    return { one, two, rounds: o.rounds };
  } finally {
    await instances.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await measurePushRoundTrip({ rounds: Number(process.env.PUSH_ROUNDS ?? 60), log: console.log });
  process.exit(0);
}
