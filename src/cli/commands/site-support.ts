// gatehouse site support <slug> [--email <address>] [--phone <number>] [--url <address>] [--clear]

import { auditedByCommandLine } from '../../directory/admin-audit.ts';
import { setSiteSupportContact } from '../../directory/site-settings.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';

export const siteSupport: Command = {
  words: ['site', 'support'],
  synopsis: '<slug> [--email <address>] [--phone <number>] [--url <address>] [--clear]',
  details: [
    "Sets the school's own support contact, printed in the footer of its pages and of mail about it",
    '(instead of SUPPORT_EMAIL, SUPPORT_PHONE and SUPPORT_URL). Audited at the site.',
    '  --email     where its staff email for help',
    '  --phone     the number they ring',
    '  --url       a help page',
    "  --clear     remove the school's own contact: the service's is shown again",
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { email: { type: 'string' }, phone: { type: 'string' }, url: { type: 'string' }, clear: { type: 'boolean' } },
      { names: ['slug'] },
    );
    const contact = { email: values.email, phone: values.phone, url: values.url };
    const given = Object.values(contact).some((v) => v !== undefined);
    if (values.clear && given) throw new UsageError('--clear takes no --email, --phone or --url');
    if (!values.clear && !given) throw new UsageError('give --email, --phone or --url (or --clear)');
    const slug = positionals[0]!;
    const { siteName } = await setSiteSupportContact(await ctx.db(), auditedByCommandLine(ctx.keys().auditChain), slug, values.clear ? {} : contact);
    return values.clear ? `${siteName} now shows the service's support contact` : `${siteName} now shows its own support contact`;
  },
};
