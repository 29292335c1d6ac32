// Where staff get help, the same everywhere it is set or shown: what each part of a contact may
// be (SUPPORT_* and `gatehouse site support`), which contact applies (a school's own, when it
// has set any part, else the service's), and the ways it offers (the page footer and the mail's).
// (It imports nothing of ours: config.ts checks SUPPORT_* with supportContactFields.)
import { z } from 'zod';

/** Where staff get help: any of the three, or none. */
export interface SupportContact {
  email?: string | undefined;
  phone?: string | undefined;
  url?: string | undefined;
}

/** Each part of a contact, checked alike wherever it is set; the messages say how it was given. */
export function supportContactFields(errors: { email: string; phone: string; url: string }) {
  return {
    email: z.email({ error: errors.email }).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ()-]{4,30}$/, { error: errors.phone })
      .optional(),
    url: z.url({ protocol: /^https?$/, error: errors.url }).optional(),
  };
}

/** The school's own contact when it has set any part of it, else the service's. */
export function supportContactFor(school: SupportContact | null | undefined, service: SupportContact): SupportContact {
  return school && (school.email || school.phone || school.url) ? school : service;
}

/** One way to get help: `text` as a line of plain text; as a link, `before` then `label` linking to `href`. */
export interface WayToGetHelp {
  text: string;
  before: string;
  label: string;
  href: string;
}

/** With no way set, who to ask instead. */
export const ASK_YOUR_KEY_HOLDER = 'Ask the person who looks after Gatehouse at your school (your key holder).';

/** The contact's ways, in the order shown: phone (a tel: link, "0113 496 0000" → "tel:01134960000"), email, help page. */
export function waysToGetHelp(support: SupportContact): WayToGetHelp[] {
  const ways: WayToGetHelp[] = [];
  if (support.phone) ways.push({ text: `Phone ${support.phone}`, before: 'Phone ', label: support.phone, href: `tel:${support.phone.replace(/[^\d+]/g, '')}` });
  if (support.email) ways.push({ text: `Email ${support.email}`, before: 'Email ', label: support.email, href: `mailto:${support.email}` });
  if (support.url) ways.push({ text: `Help and support: ${support.url}`, before: '', label: 'Help and support', href: support.url });
  return ways;
}
