// The values every request carries through the middleware chain.
import type { Logger } from 'pino';
import type { AccessFacts } from '../auth/access.ts';
import type { SignedIn } from '../auth/sessions.ts';
import type { SupportContact } from '../config.ts';
import type { Site } from '../directory/sites.ts';
import type { Chrome } from './views/layout.tsx';
import type { WebServices } from './web-services.ts';

/** A submitted form's text fields (web/form.ts reads it). */
export type Form = Record<string, string | undefined>;

/** A session the timeouts ended: at which site, which timeout, and its length. */
export interface TimedOut {
  siteSlug: string;
  reason: 'idle_timeout' | 'absolute_timeout';
  limitMinutes: number;
}

export interface AppEnv {
  Variables: {
    services: WebServices;
    log: Logger;
    /** The client's address: the socket's, or the proxy's X-Forwarded-For with TRUST_PROXY. */
    ip: string;
    userAgent: string;
    csrfToken: string;
    /** Set when the request carries a live session (at any site). */
    signedIn: SignedIn | undefined;
    /** This request found its session timed out (web/signed-out-notice.ts): the sign-in page says so. */
    timedOut?: TimedOut;
    /** Set on /:site/… routes. */
    site: Site;
    /** The person signed in at this site, with their page's chrome: set by the guards (web/guards/). */
    here: { signedIn: SignedIn; chrome: Chrome };
    /** What the guards' rules have looked at for this request (each database fact asked once). */
    accessFacts?: AccessFacts;
    /** The support contact for pages drawn outside the app (the busy page); see views/page-context.ts. */
    support?: SupportContact;
    /** The request's form, once read (web/form.ts). */
    form?: Form;
  };
}
