// Who is asking (address, browser) and a logger for this request. Logs a line per request
// with the path only: query strings can carry one-time tokens and never reach the log.
import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { clientAddressFor } from '../client-address.ts';
import type { AppEnv } from '../env.ts';
import type { WebServices } from '../web-services.ts';

export function requestContext(services: WebServices): MiddlewareHandler<AppEnv> {
  const clientAddress = clientAddressFor(services.config.trustProxy);
  return async (c, next) => {
    const started = performance.now();
    let socketAddress: string | undefined;
    try {
      socketAddress = getConnInfo(c).remote.address;
    } catch {
      socketAddress = undefined; // app.request() in tests has no socket
    }
    c.set('services', services);
    c.set('ip', clientAddress(socketAddress, c.req.header('x-forwarded-for')));
    c.set('userAgent', (c.req.header('user-agent') ?? '').slice(0, 512));
    c.set('signedIn', undefined);
    const log = services.log.child({ req: randomUUID().slice(0, 8) });
    c.set('log', log);
    await next();
    const ms = performance.now() - started;
    log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(ms) }, 'request');
    // By the pattern of the route that answered (/:site/login), never the path: slugs and ids are unbounded.
    const route = c.res.status === 404 && c.req.routeIndex < 0 ? 'unmatched' : (matchedRoutes(c)[c.req.routeIndex]?.path ?? 'unmatched');
    services.metrics.requestDuration.observe({ method: c.req.method, route, status: `${Math.floor(c.res.status / 100)}xx` }, ms / 1000);
  };
}
