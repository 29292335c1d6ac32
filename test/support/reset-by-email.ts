// A password reset as the person does it: ask for the link on the sign-in page's "Forgotten
// your password…", open it from the email the real SMTP inbox received, choose a password.
import type { Client } from './client.ts';
import type { ReceivedMail, SmtpInbox } from './smtp-inbox.ts';

export function resetLinkIn(mail: ReceivedMail): URL {
  const match = mail.text.match(/https?:\/\/\S+\/password\/reset\?token=[A-Za-z0-9_-]+/);
  if (!match) throw new Error(`no link in: ${mail.text}`);
  return new URL(match[0]);
}

/** Resets `email`'s password through the emailed link; answers the final POST's response. */
export async function resetPasswordByEmail(client: Client, inbox: SmtpInbox, site: string, email: string, password: string) {
  const since = inbox.messages.length;
  await client.get(`/${site}/password/forgotten`);
  await client.post(`/${site}/password/forgotten`, { email, provider: 'identity' });
  const mail = await inbox.waitFor((m) => inbox.messages.indexOf(m) >= since && m.to.includes(email) && /Set your Gatehouse password/.test(m.subject));
  const link = resetLinkIn(mail);
  await client.get(link.pathname + link.search);
  return client.post(link.pathname, { token: link.searchParams.get('token')!, password, confirmation: password });
}
