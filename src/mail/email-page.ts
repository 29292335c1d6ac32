// The frame every Gatehouse email shares: plain, readable HTML with inline styles (mail
// clients ignore style sheets), and a footer saying where it came from.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export function emailPage(body: HtmlEscapedString | Promise<HtmlEscapedString>): string {
  return html`<!doctype html><html lang="en-GB"><body style="font-family: system-ui, sans-serif; color: #1d2733; line-height: 1.5; max-width: 36rem">${body}<p style="color:#5b6775; font-size: .9em">This email was sent by Gatehouse, the sign-in service of your school's safeguarding system.</p></body></html>`.toString();
}

/** A mail of a few paragraphs and a link to the sign-in page, in text and HTML alike. */
export function simpleMail(subject: string, paragraphs: string[], loginUrl: string): ComposedMail {
  return {
    subject,
    text: ['Hello,', '', ...paragraphs.flatMap((p) => [p, '']), `Your school's sign-in page: ${loginUrl}`].join('\n'),
    html: emailPage(html`<p>Hello,</p>${paragraphs.map((p) => html`<p>${p}</p>`)}<p><a href="${loginUrl}">Your school's sign-in page</a></p>`),
  };
}
