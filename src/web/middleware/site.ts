// /:site/… routes: the site named in the address, or a 404 page.
import type { MiddlewareHandler } from 'hono';
import { findSiteBySlug } from '../../directory/sites.ts';
import type { AppEnv } from '../env.ts';
import { errorPage } from '../views/error-page.tsx';

export function loadSite(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const slug = c.req.param('site') ?? '';
    // The session's own site was read with the session, in the same statement.
    const signedInSite = c.var.signedIn?.site;
    const found = signedInSite?.slug === slug ? signedInSite : await findSiteBySlug(c.var.services.db, slug);
    if (!found) return errorPage(c, 404, 'School not found', 'There is no school at this address. Check the address your school gave you.');
    c.set('site', found);
    await next();
  };
}
