// What the second step, Elevate Your Access and "Confirm it's you" show: each method's offer
// for this account, in the registry's order, after one read of the kinds of device it has.
import { eq } from 'drizzle-orm';
import { device } from '../../db/schema.ts';
import { SECOND_FACTORS } from './registry.ts';
import type { Asking, MethodServices, Offer } from './second-factor.ts';

/** An offer and the method whose form it is (the form posts its id as `method`). */
export type ShownOffer = Offer & { method: string };

export async function secondFactorOffers(services: MethodServices, asking: Asking): Promise<{ anyDevice: boolean; offers: ShownOffer[] }> {
  const kinds = await services.db.selectDistinct({ kind: device.kind }).from(device).where(eq(device.accountId, asking.accountId));
  const has = new Set(kinds.map((row) => row.kind));
  const offers: ShownOffer[] = [];
  for (const method of SECOND_FACTORS) {
    const offer = await method.offer(services, { ...asking, has });
    if (offer) offers.push({ ...offer, method: method.id });
  }
  return { anyDevice: has.size > 0, offers };
}
