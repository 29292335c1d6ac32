// gatehouse audit verify <site>
import { verifyAuditChain } from '../../audit/audit-log.ts';
import { requireSite } from '../../directory/sites.ts';
import { type Command, Refusal, parseCommandArgs } from '../command.ts';

export const auditVerify: Command = {
  words: ['audit', 'verify'],
  synopsis: '<site>',
  details: [
    "Checks that the site's audit is as it was written: each entry's hash is keyed with",
    "SECRET_KEY and covers the one before, so a changed or removed entry breaks the chain from",
    'there on (entries from before the chain was keyed are accepted only at its start). Exit',
    'code 0 when it holds, 1 when it is broken (naming the first entry that does not follow).',
    '  <site>   the site\'s slug',
  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { names: ['site'] });
    const { db, keys } = await ctx.flowDeps();
    const target = await requireSite(db, positionals[0]!);
    const check = await verifyAuditChain(db, keys.auditChain, target.id);
    if (!check.ok) {
      // Nothing verified under this key yet: the likelier cause may be the command's settings.
      const key = check.entries === check.legacy ? " (or this is not the server's SECRET_KEY)" : '';
      throw new Refusal(`The audit of ${target.slug} is broken at entry #${check.brokenAt}${key}.`);
    }
    return `The audit of ${target.slug} holds: ${countEntries(check.entries)}${check.legacy ? `, the first ${check.legacy} from before the chain was keyed` : ''}.`;
  },
};

export const countEntries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
