// gatehouse audit verify <site>
import { verifyAuditChain } from '../../audit/audit-log.ts';
import { requireSite } from '../../directory/sites.ts';
import { type Command, Refusal, parseCommandArgs } from '../command.ts';

export const auditVerify: Command = {
  words: ['audit', 'verify'],
  synopsis: '<site>',
  details: [
    "Checks that the site's audit is as it was written: each entry's hash covers the one before,",
    'so a changed or removed entry breaks the chain from there on. Exit code 0 when it holds,',
    '1 when it is broken (naming the first entry that does not follow).',
    '  <site>   the site\'s slug',
  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { names: ['site'] });
    const db = await ctx.db();
    const target = await requireSite(db, positionals[0]!);
    const check = await verifyAuditChain(db, target.id);
    if (!check.ok) throw new Refusal(`The audit of ${target.slug} is broken at entry #${check.brokenAt}.`);
    return `The audit of ${target.slug} holds: ${check.entries} ${check.entries === 1 ? 'entry' : 'entries'}.`;
  },
};
