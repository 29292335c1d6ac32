// The email after "It wasn't me": someone has the password, and the person should know at once.
import { type ComposedMail, simpleMail } from '../../../mail/email-page.ts';

export function signInDeniedEmail(p: {
  siteName: string;
  loginUrl: string;
  when: string;
  browser: string;
  place: string;
  attribution: { text: string; url: string } | null;
}): ComposedMail {
  return simpleMail(
    'A sign-in to your Gatehouse account was denied',
    [
      `You denied a sign-in to your Gatehouse account at ${p.siteName} in your Gatehouse Authenticator. It did not go ahead.`,
      `When: ${p.when}. Browser: ${p.browser}. Place: ${p.place} (approximate${p.attribution ? `; ${p.attribution.text}, ${p.attribution.url}` : ''}).`,
      'The password was typed correctly for that sign-in. If this wasn\'t you, change your password now: on your school\'s sign-in page choose "Forgotten your password or using Gatehouse for the first time?" and follow the emailed link.',
    ],
    p.loginUrl,
  );
}
