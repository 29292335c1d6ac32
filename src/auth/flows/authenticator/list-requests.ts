// What the app lists: the account's requests waiting for an answer, with the school, the
// browser, the times and the approximate place (and its attribution). Never the number: the
// person reads it off the sign-in screen.
import { inArray } from 'drizzle-orm';
import { site } from '../../../db/schema.ts';
import { describeBrowser } from '../../../lib/describe-browser.ts';
import { waitingRequests } from '../../methods/push/sign-in-requests.ts';
import type { AuthServices } from '../deps.ts';

export interface ListedRequest {
  id: string;
  site: { name: string };
  browser: string;
  createdAt: string;
  expiresAt: string;
  place: string;
  placeAttribution: { text: string; url: string } | null;
}

export async function listSignInRequests(services: Pick<AuthServices, 'db' | 'authenticator'>, accountId: string): Promise<ListedRequest[]> {
  const requests = await waitingRequests(services.db, accountId);
  if (requests.length === 0) return [];
  const sites = await services.db
    .select({ id: site.id, name: site.name })
    .from(site)
    .where(inArray(site.id, [...new Set(requests.map((r) => r.siteId))]));
  const names = new Map(sites.map((s) => [s.id, s.name]));
  return requests.map((r) => ({
    id: r.id,
    site: { name: names.get(r.siteId) ?? '' },
    browser: describeBrowser(r.userAgent),
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    place: r.place ?? 'unknown place',
    placeAttribution: services.authenticator.places.attribution,
  }));
}
