// gatehouse site add <slug> --name "<name>" [--trust "<trust name>"] [--kind safeguarding|staffsafe]

import { auditedByCommandLine } from '../../directory/admin-audit.ts';
import { addSite, newSite } from '../../directory/sites.ts';
import { type Command, parseCommandArgs, requiredOption, UsageError } from '../command.ts';

const KINDS = newSite.shape.kind.unwrap().options;
type SiteKind = (typeof KINDS)[number];
const isKind = (kind: string): kind is SiteKind => (KINDS as readonly string[]).includes(kind);

export const siteAdd: Command = {
  words: ['site', 'add'],
  synopsis: '<slug> --name "<name>" [--trust "<trust name>"] [--kind safeguarding|staffsafe]',
  details: [
    "Adds a site (a school, or a trust's staff-vetting site) with the default groups.",
    '  <slug>      its address: https://…/<slug>/login (lower-case letters, digits, hyphens)',
    '  --name      the name people see',
    '  --trust     the trust it belongs to (created if new)',
    '  --kind      safeguarding (default) or staffsafe',
  ].join('\n'),
  async run(args, ctx) {
    const { values, positionals } = parseCommandArgs(
      args,
      { name: { type: 'string' }, trust: { type: 'string' }, kind: { type: 'string' } },
      { names: ['slug'] },
    );
    const name = requiredOption(values.name, 'name');
    const kind = values.kind ?? 'safeguarding';
    if (!isKind(kind)) throw new UsageError(`--kind must be ${KINDS.join(' or ')}, not "${kind}"`);
    const created = await addSite(
      await ctx.db(),
      {
        slug: positionals[0]!,
        name,
        trustName: values.trust,
        kind,
      },
      auditedByCommandLine(ctx.keys().auditChain),
    );
    return `Added site ${created.slug} (${created.name})`;
  },
};
