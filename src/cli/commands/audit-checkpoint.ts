// gatehouse audit checkpoint [<site> ...] [--out <file>]
import { appendFile } from 'node:fs/promises';
import { asc } from 'drizzle-orm';
import { auditHead, signCheckpoint } from '../../audit/audit-checkpoint.ts';
import { site } from '../../db/schema.ts';
import { requireSite } from '../../directory/sites.ts';
import { type Command, parseCommandArgs, Refusal } from '../command.ts';
import { countEntries } from './audit-verify.ts';

export const auditCheckpoint: Command = {
  words: ['audit', 'checkpoint'],
  synopsis: '[<site> ...] [--out <file>]',
  details: [
    "Signs a checkpoint of each site's audit as it is now (how many entries, the newest one's",
    'hash, when), one line per site, with a key derived from SECRET_KEY. Keep them away from the',
    'database host: gatehouse audit verify <site> --checkpoint <file> then finds entries that',
    'were removed since, which the hash chain alone cannot. Run it regularly, e.g. from cron.',
    'The checkpoints go to stdout (and the one-line summary to stderr), or are appended to a file.',
    "  <site> ...     the sites' slugs (default: every site)",
    '  --out <file>   append the checkpoints to this file instead of printing them',
  ].join('\n'),
  async run(args, ctx) {
    const { positionals, values } = parseCommandArgs(args, { out: { type: 'string' } }, { names: [], rest: true });
    const db = await ctx.db();
    const sites =
      positionals.length > 0
        ? await Promise.all([...new Set(positionals)].map((slug) => requireSite(db, slug)))
        : await db.select().from(site).orderBy(asc(site.slug));
    if (sites.length === 0) return 'There are no sites: nothing to checkpoint.';
    const key = ctx.keys().auditCheckpoint;
    const at = new Date();
    const heads = [];
    for (const s of sites) heads.push({ siteId: s.id, slug: s.slug, at, ...(await auditHead(db, s.id)) });
    const lines = await Promise.all(heads.map((h) => signCheckpoint(key, h)));

    if (values.out === undefined) {
      for (const line of lines) ctx.output(line);
    } else {
      try {
        await appendFile(values.out, lines.map((l) => `${l}\n`).join(''));
      } catch (err) {
        throw new Refusal(`Cannot write to ${values.out}: ${(err as Error).message.split(',')[0]}`);
      }
    }
    const to = values.out === undefined ? '' : ` to ${values.out}`;
    if (heads.length === 1) return `Checkpointed the audit of ${heads[0]!.slug} (${countEntries(heads[0]!.entries)})${to}.`;
    return `Checkpointed the audits of ${heads.length} sites (${countEntries(heads.reduce((n, h) => n + h.entries, 0))} in all)${to}.`;
  },
};
