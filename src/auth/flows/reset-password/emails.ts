// The two emails of asking for a password link ("your password was changed" is in
// new-password/). Each names the school and carries nothing personal beyond what the reader
// already knows (their own address); only the first carries a link.
import { html } from 'hono/html';
import { type ComposedMail as Mail, emailPage as page, simpleMail } from '../../../mail/email-page.ts';

/** "midnight tonight (00:00 on Saturday 21 November 2026, UK time)" */
export function describeExpiry(expiresAt: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
      .formatToParts(expiresAt)
      .map((part) => [part.type, part.value]),
  );
  const when = `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`;
  const zone = timeZone === 'Europe/London' ? 'UK time' : `${timeZone} time`;
  return `midnight tonight (00:00 on ${when}, ${zone})`;
}

export function resetLinkEmail(p: {
  siteName: string;
  link: string;
  loginUrl: string;
  expiresAt: Date;
  timeZone: string;
  sso: boolean;
  /** The school admin who sent it from the person's profile; otherwise someone asked on the sign-in page. */
  sentBy?: string | undefined;
}): Mail {
  const expiry = describeExpiry(p.expiresAt, p.timeZone);
  const sso = p.sso ? 'This is your Single Sign-On password: it will work at every school where you use Gatehouse.' : '';
  const who = p.sentBy
    ? `${p.sentBy}, a Gatehouse administrator at ${p.siteName}, has sent you this link to set your Gatehouse password.`
    : `Someone, hopefully you, asked to set or reset the Gatehouse password for this email address at ${p.siteName}.`;
  const whoHtml = p.sentBy
    ? html`${p.sentBy}, a Gatehouse administrator at <strong>${p.siteName}</strong>, has sent you this link to set your Gatehouse password.`
    : html`Someone, hopefully you, asked to set or reset the Gatehouse password for this email address at <strong>${p.siteName}</strong>.`;
  return {
    subject: `Set your Gatehouse password for ${p.siteName}`,
    text: [
      'Hello,',
      '',
      who,
      '',
      'Choose your password here:',
      p.link,
      '',
      `The link works once, and expires at ${expiry}. If it has expired, ask for a new one on your school's sign-in page: ${p.loginUrl}`,
      ...(sso ? ['', sso] : []),
      '',
      'If you did not ask for this, you can ignore this email: your password has not changed.',
    ].join('\n'),
    html: page(html`<p>Hello,</p>
      <p>${whoHtml}</p>
      <p><a href="${p.link}" style="display:inline-block; background:#1f4e79; color:#fff; padding:.6em 1.2em; border-radius:.3em; text-decoration:none">Choose your password</a></p>
      <p>The link works once, and expires at ${expiry}. If it has expired, ask for a new one on <a href="${p.loginUrl}">your school's sign-in page</a>.</p>
      ${sso ? html`<p>${sso}</p>` : ''}
      <p>If you did not ask for this, you can ignore this email: your password has not changed.</p>`),
  };
}

export function noAccountEmail(p: { siteName: string; provider: 'identity' | 'sso'; loginUrl: string }): Mail {
  const kind = p.provider === 'sso' ? 'Single Sign-On' : 'Identity';
  const lines = [
    `Someone asked for a Gatehouse password link for this email address at ${p.siteName}, but this address has no ${kind} account there, so no link was sent.`,
    `If you work at ${p.siteName} and need Gatehouse, ask your school's Gatehouse administrator to add you, or to correct your email address (Admin > Users, in your profile).`,
    'If you use Gatehouse at more than one school, or StaffSafe, you may have a Single Sign-On account: ask again and choose "Single Sign-On" as the Authentication Provider. If you use it at one school only, choose "Identity".',
    'If you did not ask for this, you can ignore this email.',
  ];
  return simpleMail(`Gatehouse password request for ${p.siteName}`, lines, p.loginUrl);
}
