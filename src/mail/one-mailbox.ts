// Whether an address is exactly one mailbox, local@domain, and nothing a mail library or server
// could read as more: nodemailer's address parser splits a string at , and ; (a:…; is a group),
// reads <…> as the address, "…" and \ as quoting and (…) as a comment, so 'a;bcc@evil.example'
// was mailed to bcc@evil.example. Used where addresses enter (email-address.ts) and by the
// transport just before sending, so an address that slipped in earlier still cannot fan out.

/** The longest address SMTP carries (RFC 5321's 256-octet path, less its angle brackets). */
export const MAX_EMAIL_LENGTH = 254;

// The RFC 5322 specials but '.' and '@', whitespace and separators, control and invisible
// characters (bidi controls, zero-width and other default-ignorable ones), U+FFFD (what
// normaliseEmail makes of a control character); and what older relays still route elsewhere:
// '%' and '!' (percent hack, UUCP bang paths) and '=?' (an encoded word, which some parsers decode).
const NOT_IN_A_MAILBOX = /[,;<>()[\]"\\:%!\s\p{Z}\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\uFFFD]|=\?/u;

/** One @, something before it, and a domain of dot-separated labels (at least two). */
const SHAPE = /^[^@]+@[^@.]+(?:\.[^@.]+)+$/u;

export function isOneMailbox(address: string): boolean {
  return address.length <= MAX_EMAIL_LENGTH && !NOT_IN_A_MAILBOX.test(address) && SHAPE.test(address);
}

/** The transport's refusal: not retried, as the address will never become one mailbox. */
export class NotOneMailbox extends Error {
  override name = 'NotOneMailbox';
  constructor() {
    super('the recipient is not exactly one mailbox: not sent');
  }
}
