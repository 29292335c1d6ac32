// What the Gatehouse Authenticator's method and flows are given, made once per process
// (services.ts): the wake-ups between instances, Web Push, and the place database.
import type { Wakeups } from '../../../db/wakeups.ts';
import type { Places } from '../../../lib/places.ts';
import type { WebPushDelivery } from './web-push.ts';

export interface PushServices {
  wakeups: Wakeups;
  delivery: WebPushDelivery;
  places: Places;
}

/** The wake-up topics: a request's answer (the waiting page), an account's new request (the open app). */
export const requestTopic = (requestId: string) => `r:${requestId}`;
export const accountTopic = (accountId: string) => `a:${accountId}`;
