// gatehouse user add <site> <email> --name "<full name>" --group "<group>" [--job-title "<title>"] [--password-stdin]

import { auditedByCommandLine } from '../../directory/admin-audit.ts';
import { addSiteUser } from '../../directory/site-users.ts';
import { type Command, parseCommandArgs, requiredOption } from '../command.ts';

export const userAdd: Command = {
  words: ['user', 'add'],
  synopsis: '<site> <email> --name "<full name>" --group "<group>" [--job-title "<title>"] [--password-stdin]',
  details: [
    'Adds a person to a site, with an Identity account of their own.',
    "  <site>             the site's slug",
    '  <email>            their email address (one user per address at a site)',
    '  --name             their full name',
    '  --group            the group they join (Teachers, Support Staff, SLT, DSL, Admin…)',
    '  --job-title        their job title',
    '  --password-stdin   read their first password from stdin (one trailing newline is dropped);',
    '                     without it they set a password through the first-time link',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { name: { type: 'string' }, group: { type: 'string' }, 'job-title': { type: 'string' }, 'password-stdin': { type: 'boolean' } },
      { names: ['site', 'email'] },
    );
    const fullName = requiredOption(values.name, 'name');
    const groupName = requiredOption(values.group, 'group');
    const passwordHash = values['password-stdin'] ? await ctx.passwordHashFromStdin() : undefined;
    const created = await addSiteUser(
      await ctx.db(),
      {
        site: positionals[0]!,
        email: positionals[1]!,
        fullName,
        groupName,
        jobTitle: values['job-title'],
        passwordHash,
      },
      auditedByCommandLine(ctx.keys().auditChain),
    );
    return `Added ${created.fullName} (${created.email}) to ${positionals[0]}${passwordHash ? ', with a password' : ''}`;
  },
};
