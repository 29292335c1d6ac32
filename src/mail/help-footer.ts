// Every email ends, as every page does, with where to get help: added as the mail is sent, so
// each mail need not know the support contact, and a school's own contact (set later) applies.
import { html } from 'hono/html';
import type { SupportContact } from '../config.ts';
import { ASK_YOUR_KEY_HOLDER, waysToGetHelp } from '../lib/support-contact.ts';
import type { SealedPart } from './outbox.ts';

function helpLines(support: SupportContact): string[] {
  const lines = waysToGetHelp(support).map((way) => way.text);
  return lines.length ? lines : [ASK_YOUR_KEY_HOLDER];
}

function helpHtml(support: SupportContact): string {
  const ways = waysToGetHelp(support).map((way) => html`${way.before}<a href="${way.href}">${way.label}</a><br />`);
  const body = ways.length ? ways : ASK_YOUR_KEY_HOLDER;
  return html`<p style="color:#5b6775; font-size: .9em"><strong>Need help?</strong><br />${body}</p>`.toString();
}

/** The message with "Need help?" and the contact at the end of its text and its HTML. */
export function withHelpFooter(message: SealedPart, support: SupportContact): SealedPart {
  const text = `${message.text.trimEnd()}\n\nNeed help?\n${helpLines(support).join('\n')}\n`;
  const footer = helpHtml(support);
  const at = message.html.lastIndexOf('</body>');
  const htmlPart = at === -1 ? message.html + footer : message.html.slice(0, at) + footer + message.html.slice(at);
  return { ...message, text, html: htmlPart };
}
