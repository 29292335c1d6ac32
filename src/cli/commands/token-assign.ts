// gatehouse token assign <serial> <email> [--site <slug>]
import { assignManagedToken, findTokenOwner } from '../../auth/flows/managed-tokens.ts';
import { commandLineActor } from '../../directory/admin-audit.ts';
import { type Command, parseCommandArgs, UsageError } from '../command.ts';

export const tokenAssign: Command = {
  words: ['token', 'assign'],
  synopsis: '<serial> <email> [--site <slug>]',
  details: [
    'Platform support: gives an imported managed token to a person, who then types its code at',
    'the second step of signing in. It goes to the Single Sign-On account with that email if',
    'there is one, otherwise to the Identity account at --site. The person is emailed; the audit',
    "of each of the account's sites records it. School admins cannot remove it.",
    "  <serial>   the token's serial number (gatehouse token import)",
    "  <email>    the person's email address",
    '  --site     the site of their Identity account (needed when they have one at several sites)',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(args, { site: { type: 'string' } }, { names: ['serial', 'email'] });
    const [serial, email] = positionals as [string, string];
    const deps = await ctx.flowDeps();
    const owner = await findTokenOwner(deps.db, email, values.site);
    if ('ambiguous' in owner) throw new UsageError(`${email} has Identity accounts at ${owner.ambiguous.join(', ')}: choose one with --site`);
    const name = await assignManagedToken(deps, serial, owner, commandLineActor);
    const where = owner.kind === 'sso' ? 'Single Sign-On account' : `Identity account at ${owner.sites[0]!.slug}`;
    return `Assigned ${name} to ${owner.email} (${where})`;
  },
};
