// Reads the session cookie: a live session becomes c.var.signedIn; an expired one is ended,
// logged and its cookie cleared, and the sign-in page will say why (signed-out-notice.ts).
import type { MiddlewareHandler } from 'hono';
import { looksLikeSessionToken } from '../../auth/session-token.ts';
import { findSession } from '../../auth/sessions.ts';
import { recordSecurityEvent } from '../../security-log/security-events.ts';
import { clearCookie, readCookie, SESSION_COOKIE } from '../cookies.ts';
import type { AppEnv } from '../env.ts';
import { noteTimedOut } from '../signed-out-notice.ts';

export function loadSession(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = readCookie(c, SESSION_COOKIE);
    if (looksLikeSessionToken(token)) {
      const { db, config, log } = c.var.services;
      const found = await findSession(db, token, config.sessionDefaults);
      if (found.status === 'active') {
        c.set('signedIn', found.signedIn);
      } else {
        clearCookie(c, SESSION_COOKIE);
        if (found.status === 'ended') {
          if (found.reason === 'idle_timeout' || found.reason === 'absolute_timeout')
            noteTimedOut(c, { siteSlug: found.siteSlug, reason: found.reason, limitMinutes: found.limitMinutes });
          await recordSecurityEvent(db, log, {
            accountId: found.accountId,
            siteId: found.siteId,
            event: 'session_expired',
            ip: c.var.ip,
            userAgent: c.var.userAgent,
            detail: { reason: found.reason },
          });
        }
      }
    } else if (token !== undefined) {
      clearCookie(c, SESSION_COOKIE);
    }
    await next();
  };
}
