// A profile's "Send the first-time link": for someone new who lost the first email, or who has
// forgotten their password and cannot find the sign-in page's link. The link goes only to the
// person's own address, so it grants the admin nothing; it is the sign-in page's own link (works
// once, expires at the school's midnight) and counts towards the same 3 an hour for one
// address, and 30 an hour for the admin. Sent with its audit row and the person's security-log
// line, in one transaction.
import type { AdminContext } from '../../../directory/admin-audit.ts';
import { auditByAdmin } from '../../../directory/admin-audit.ts';
import type { ManagedUser } from '../../../directory/managed-users.ts';
import { emailTag } from '../../../lib/email-tag.ts';
import { done, type Outcome, refused } from '../../../lib/outcome.ts';
import { recordSecurityEvent } from '../../../security-log/security-events.ts';
import type { AuthServices } from '../deps.ts';
import { sendResetLink } from '../reset-password/request-link.ts';

export async function sendPasswordLinkByAdmin(services: AuthServices, admin: AdminContext, target: ManagedUser, now = new Date()): Promise<Outcome> {
  if (target.status === 'disabled') return refused('invalid', `${target.fullName} is disabled: enable them first, then send the link.`);
  const allowed = await services.resetThrottle.allowFromAdmin(emailTag(services.keys.emailTag, target.email), admin.siteUserId);
  if (allowed === 'email') {
    services.refusals.throttled.note('reset_request');
    return refused(
      'invalid',
      `${target.email} has been sent 3 links in the last hour already: ask ${target.fullName} to check their junk folder, or try again later.`,
    );
  }
  if (allowed === 'admin') {
    services.refusals.throttled.note('reset_request');
    return refused('invalid', 'You have sent 30 links in the last hour: wait a while before sending more.');
  }
  await services.db.transaction(async (tx) => {
    await sendResetLink(tx, services, {
      accountId: target.accountId,
      email: target.email,
      sso: target.accountKind === 'sso',
      site: admin.site,
      ip: admin.ip,
      now,
      sentBy: admin.name,
    });
    await auditByAdmin(tx, admin, 'password_link_sent', { email: target.email }, target);
    await recordSecurityEvent(tx, services.log, {
      accountId: target.accountId,
      siteId: admin.site.id,
      event: 'password_reset_requested',
      ip: admin.ip,
      userAgent: null,
      detail: { by: 'admin', admin: admin.name },
    });
  });
  services.mail.kick();
  return done();
}
