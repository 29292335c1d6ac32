// "Forgotten your password or using Gatehouse for the first time?": asking for a link.
// The person sees the same page, status and timing whatever happens here: a link to the
// account's own address, an email saying there is no account, or (past the limits) nothing.

import type { Db } from '../../../db/connect.ts';
import { resetToken } from '../../../db/schema.ts';
import { findSiteAccount } from '../../../directory/accounts.ts';
import type { Site } from '../../../directory/sites.ts';
import { emailTag } from '../../../lib/email-tag.ts';
import { atSteadyPace } from '../../../lib/steady-pace.ts';
import { absoluteUrl, signInUrl, sitePaths } from '../../../lib/urls.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { AuthServices, FlowDeps } from '../deps.ts';
import type { Provider } from '../sign-in/index.ts';
import { noAccountEmail, resetLinkEmail } from './emails.ts';
import { newResetToken, resetLinkExpiry } from './reset-link.ts';

export interface LinkRequest {
  site: Site;
  /** Normalised and checked to be an email address. */
  email: string;
  provider: Provider;
  ip: string;
  userAgent: string;
}

export interface LinkToSend {
  accountId: string;
  email: string;
  sso: boolean;
  site: Pick<Site, 'id' | 'slug' | 'name' | 'timeZone'>;
  /** Where it was asked from (the person's, or the admin's address). */
  ip: string | null;
  now: Date;
  /** The admin who sent it from a profile. */
  sentBy?: string;
}

/** A new link (only its hash kept), expiring at the school's midnight, emailed to the account's own address: in the caller's transaction. */
export async function sendResetLink(tx: Db, deps: Pick<FlowDeps, 'keys' | 'config'>, l: LinkToSend): Promise<void> {
  const { token, tokenHash } = newResetToken();
  const expiresAt = resetLinkExpiry(l.now, l.site.timeZone);
  await tx.insert(resetToken).values({ tokenHash, accountId: l.accountId, siteId: l.site.id, expiresAt, ip: l.ip, createdAt: l.now });
  const link = absoluteUrl(deps.config.publicUrl, sitePaths(l.site.slug).resetPassword(token));
  const loginUrl = signInUrl(deps.config.publicUrl, l.site.slug);
  const mail = resetLinkEmail({ siteName: l.site.name, link, loginUrl, expiresAt, timeZone: l.site.timeZone, sso: l.sso, sentBy: l.sentBy });
  await enqueueMail(tx, deps.keys.encryption, { to: l.email, kind: 'reset_link', siteId: l.site.id, ...mail });
}

export function requestResetLink(services: AuthServices, req: LinkRequest, now = new Date()): Promise<void> {
  // The known-address path writes one row more: the steady pace hides that difference.
  return atSteadyPace(services.config.resetResponseMs, () => sendLinkOrExplanation(services, req, now));
}

async function sendLinkOrExplanation(services: AuthServices, req: LinkRequest, now: Date): Promise<void> {
  const { db, keys, config } = services;
  const client = { ip: req.ip, userAgent: req.userAgent };
  const loginUrl = signInUrl(config.publicUrl, req.site.slug);
  const match = await findSiteAccount(db, req.site.id, req.email, req.provider);
  // An address that is not an account is kept only as its tag (lib/email-tag.ts).
  const tag = emailTag(keys.emailTag, req.email);

  const allowed = await services.resetThrottle.allow(tag, req.ip);
  if (allowed !== 'allowed') {
    services.refusals.throttled.note('reset_request');
    // Counted, and logged once a window: a flood of requests cannot grow the log at will.
    if (allowed === 'first_refusal') {
      const detail: Record<string, string> = match ? {} : { emailTag: tag };
      await recordSecurityEvent(db, services.log, {
        accountId: match?.accountId ?? null,
        siteId: req.site.id,
        event: 'password_reset_throttled',
        ...client,
        detail,
      });
    }
    return;
  }

  await db.transaction(async (tx) => {
    if (match?.siteUserActive) {
      await sendResetLink(tx, services, { accountId: match.accountId, email: match.email, sso: req.provider === 'sso', site: req.site, ip: req.ip, now });
      await recordSecurityEvent(tx, services.log, { accountId: match.accountId, siteId: req.site.id, event: 'password_reset_requested', ...client });
    } else {
      const mail = noAccountEmail({ siteName: req.site.name, provider: req.provider, loginUrl });
      await enqueueMail(tx, keys.encryption, { to: req.email, kind: 'no_account', siteId: req.site.id, ...mail });
      await recordSecurityEvent(tx, services.log, {
        accountId: match?.accountId ?? null,
        siteId: req.site.id,
        event: 'password_reset_requested',
        ...client,
        detail: { outcome: match ? 'user_disabled' : 'no_account', ...(match ? {} : { emailTag: tag }) },
      });
    }
  });
  services.mail.kick();
}
