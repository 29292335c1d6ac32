// Every password is hashed behind a bounded gate (auth/methods/password/hashing-gate.ts): when it
// is full, a page that hashes says so, with when to try again, instead of failing.
import type { Context } from 'hono';
import type { HashingBusy } from '../../auth/methods/password/index.ts';
import type { AppEnv } from '../env.ts';
import { errorPage } from '../views/error-page.tsx';

export function busyHashing(c: Context<AppEnv>, err: HashingBusy) {
  return errorPage(c, 503, 'Gatehouse is very busy', 'Too many people are doing this at this moment. Please try again in a few seconds.', {
    'Retry-After': String(err.retryAfterSeconds),
  });
}
