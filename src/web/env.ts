// The values every request carries through the middleware chain.
import type { Logger } from 'pino';
import type { SignedIn } from '../auth/sessions.ts';
import type { Site } from '../directory/sites.ts';
import type { Services } from '../services.ts';
import type { Chrome } from './views/layout.tsx';

export interface AppEnv {
  Variables: {
    services: Services;
    log: Logger;
    /** The client's address: the socket's, or the proxy's X-Forwarded-For with TRUST_PROXY. */
    ip: string;
    userAgent: string;
    csrfToken: string;
    /** Set when the request carries a live session (at any site). */
    signedIn: SignedIn | undefined;
    /** Set on /:site/… routes. */
    site: Site;
    /** Set on /:site/admin/… routes, once the admin guard has let the request through. */
    admin: { signedIn: SignedIn; chrome: Chrome };
  };
}
