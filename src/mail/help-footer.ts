// Every email ends, as every page does, with where to get help: added as the mail is sent, so
// each mail need not know the support contact, and a school's own contact (set later) applies.
import { html } from 'hono/html';
import type { SupportContact } from '../config.ts';
import type { SealedPart } from './outbox.ts';

function helpLines(support: SupportContact): string[] {
  const lines = [
    support.phone && `Phone ${support.phone}`,
    support.email && `Email ${support.email}`,
    support.url && `Help and support: ${support.url}`,
  ].filter((line): line is string => Boolean(line));
  return lines.length ? lines : ['Ask the person who looks after Gatehouse at your school (your key holder).'];
}

function helpHtml(support: SupportContact): string {
  const ways = [
    support.phone && html`Phone <a href="tel:${support.phone.replace(/[^\d+]/g, '')}">${support.phone}</a>`,
    support.email && html`Email <a href="mailto:${support.email}">${support.email}</a>`,
    support.url && html`<a href="${support.url}">Help and support</a>`,
  ].filter(Boolean);
  const body = ways.length ? ways.map((w) => html`${w}<br />`) : html`Ask the person who looks after Gatehouse at your school (your key holder).`;
  return html`<p style="color:#5b6775; font-size: .9em"><strong>Need help?</strong><br />${body}</p>`.toString();
}

/** The school's own contact when it has one (any part of it), else the service's. */
export function supportFor(school: SupportContact | null, service: SupportContact): SupportContact {
  return school && (school.email || school.phone || school.url) ? school : service;
}

/** The message with "Need help?" and the contact at the end of its text and its HTML. */
export function withHelpFooter(message: SealedPart, support: SupportContact): SealedPart {
  const text = `${message.text.trimEnd()}\n\nNeed help?\n${helpLines(support).join('\n')}\n`;
  const footer = helpHtml(support);
  const at = message.html.lastIndexOf('</body>');
  const htmlPart = at === -1 ? message.html + footer : message.html.slice(0, at) + footer + message.html.slice(at);
  return { ...message, text, html: htmlPart };
}
