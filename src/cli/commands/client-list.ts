// gatehouse client list <site>
import { listIntegrations } from '../../directory/integrations.ts';
import { requireSite } from '../../directory/sites.ts';
import { type Command, parseCommandArgs } from '../command.ts';

export const clientList: Command = {
  words: ['client', 'list'],
  synopsis: '<site>',
  printsData: true,
  details: [
    "Lists the site's registered systems on stdout, one a line, tab-separated: client id,",
    'enabled or disabled, name, redirect URIs (space-separated). Secrets are never shown.',
    "  <site>   the site's slug",
  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { names: ['site'] });
    const db = await ctx.db();
    const site = await requireSite(db, positionals[0]!);
    const systems = await listIntegrations(db, site.id);
    for (const s of systems) ctx.output([s.clientId, s.disabledAt ? 'disabled' : 'enabled', s.name, s.redirectUris.join(' ')].join('\t'));
    return `${systems.length} system${systems.length === 1 ? '' : 's'} registered at ${site.slug}`;
  },
};
