// gatehouse sso link <email> <site> [<site> …] [--password-stdin]

import { storePasswordFromCommandLine } from '../../auth/flows/new-password/index.ts';
import type { Db } from '../../db/connect.ts';
import { auditedByCommandLine } from '../../directory/admin-audit.ts';
import { normaliseEmail } from '../../directory/email-address.ts';
import { requireSite } from '../../directory/sites.ts';
import { linkSso, ssoLinkPasswordRules } from '../../directory/sso.ts';
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
    const db = await ctx.db();
    // The web form's rules: not the names of anyone the account is (or is about to be), nor a recent password of an existing account.
    const passwordHash = values['password-stdin']
      ? await ctx.passwordHashFromStdin({ email, sites, ...(await ssoLinkPasswordRules(db, email, sites)) })
      : undefined;
    // An existing account's password is replaced as a reset or Change password replaces it: its sessions end, and it is emailed and logged.
    let replacePassword: ((tx: Db, accountId: string) => Promise<void>) | undefined;
    if (passwordHash) {
      const deps = await ctx.flowDeps(); // before the transaction: it reads the public address
      replacePassword = async (tx, accountId) => {
        const site = await requireSite(tx, sites[0]!);
        await storePasswordFromCommandLine(tx, deps, { accountId, email: normaliseEmail(email), passwordHash, site });
      };
    }
    const linked = await linkSso(db, { email, sites: [...new Set(sites)], passwordHash }, auditedByCommandLine(ctx.keys().auditChain), replacePassword);
    const account = linked.created ? 'a new SSO account' : 'their SSO account';
    return `Linked ${normaliseEmail(email)} at ${linked.linkedSites.join(', ')} to ${account}${passwordHash ? ', with a new password' : ''}`;
  },
};
