// gatehouse client add <site> --name "<name>" --redirect-uri <url> [--redirect-uri <url> …] [--backchannel-logout-uri <url>]
import { auditedByCommandLine } from '../../directory/admin-audit.ts';
import { addIntegration } from '../../directory/integrations.ts';
import { requireSite } from '../../directory/sites.ts';
import { accepted, type Command, parseCommandArgs, requiredOption, UsageError } from '../command.ts';

export const clientAdd: Command = {
  words: ['client', 'add'],
  synopsis: '<site> --name "<name>" --redirect-uri <url> [--redirect-uri <url> …] [--backchannel-logout-uri <url>]',
  details: [
    'Registers a school system that signs its staff in through Gatehouse (an OpenID Connect',
    "client of the site; only the site's members can sign in to it). Prints its client_id and",
    'client_secret on stdout, one line each: the secret is shown this once (Gatehouse keeps it',
    'sealed), so give it to the system now. Audited at the site as done by the command line.',
    "  <site>                      the site's slug",
    '  --name                      the name the school knows the system by',
    '  --redirect-uri              where the system receives people back after they sign in:',
    '                              https:// (http:// only for localhost), no #fragment; repeatable',
    '  --post-logout-redirect-uri  where the system may send people after signing out; repeatable',
    '  --backchannel-logout-uri    where Gatehouse posts a logout token when the person signs out',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        name: { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        'post-logout-redirect-uri': { type: 'string', multiple: true },
        'backchannel-logout-uri': { type: 'string' },
      },
      { names: ['site'] },
    );
    const name = requiredOption(values.name, 'name');
    const redirectUris = values['redirect-uri'];
    if (!redirectUris) throw new UsageError('missing option --redirect-uri');
    const deps = await ctx.flowDeps();
    const site = await requireSite(deps.db, positionals[0]!);
    const credentials = accepted(
      await addIntegration(deps, auditedByCommandLine(deps.keys.auditChain), site.id, {
        name,
        redirectUris,
        postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
        backchannelLogoutUri: values['backchannel-logout-uri'],
      }),
    );
    ctx.output(`client_id: ${credentials.clientId}`);
    ctx.output(`client_secret: ${credentials.clientSecret}`);
    return `Registered ${credentials.name} at ${site.slug}: keep the secret now, it is not shown again`;
  },
};
