// gatehouse sso link <email> <site> [<site> …] [--password-stdin]

import { auditedByCommandLine } from '../../directory/admin-audit.ts';
import { normaliseEmail } from '../../directory/email-address.ts';
import { linkSso } from '../../directory/sso.ts';
import { type Command, parseCommandArgs } from '../command.ts';

export const ssoLink: Command = {
  words: ['sso', 'link'],
  synopsis: '<email> <site> [<site> …] [--password-stdin]',
  details: [
    'Makes one SSO account (one email, password and set of devices) for the site users with that',
    'email at those sites; each must already be a user there (gatehouse user add).',
    "  --password-stdin   read the SSO account's password from stdin (one trailing newline is dropped)",
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { 'password-stdin': { type: 'boolean' } }, { names: ['email', 'site'], rest: true });
    const [email, ...sites] = positionals as [string, ...string[]];
    const passwordHash = values['password-stdin'] ? await ctx.passwordHashFromStdin() : undefined;
    const linked = await linkSso(await ctx.db(), { email, sites: [...new Set(sites)], passwordHash }, auditedByCommandLine(ctx.keys().auditChain));
    const account = linked.created ? 'a new SSO account' : 'their SSO account';
    return `Linked ${normaliseEmail(email)} at ${linked.linkedSites.join(', ')} to ${account}${passwordHash ? ', with a new password' : ''}`;
  },
};
