// gatehouse audit verify <site> [--checkpoint <file>]
import { open } from 'node:fs/promises';
import { type AuditCheckpoint, compareWithCheckpoint, newestCheckpoint } from '../../audit/audit-checkpoint.ts';
import { verifyAuditChain } from '../../audit/audit-log.ts';
import { requireSite } from '../../directory/sites.ts';
import type { Keys } from '../../lib/keys.ts';
import { type Command, parseCommandArgs, Refusal } from '../command.ts';

export const auditVerify: Command = {
  words: ['audit', 'verify'],
  synopsis: '<site> [--checkpoint <file>]',
  details: [
    "Checks that the site's audit is as it was written: each entry's hash is keyed with",
    'SECRET_KEY and covers the one before, so a changed or removed entry breaks the chain from',
    'there on (entries from before the chain was keyed are accepted only at its start). Exit',
    'code 0 when it holds, 1 when it is broken (naming the first entry that does not follow).',
    'Removing the newest entries leaves a chain that holds: only a checkpoint shows it. Entries',
    'removed by AUDIT_RETENTION_DAYS are accounted for by a keyed entry, from which the chain starts.',
    "  <site>               the site's slug",
    '  --checkpoint <file>  also check against the newest checkpoint of the site in this file',
    '                       (from gatehouse audit checkpoint): the audit must still have the',
    '                       entries it counted, the last of them with the hash it recorded',
  ].join('\n'),
  async run(args, ctx) {
    const { positionals, values } = parseCommandArgs(args, { checkpoint: { type: 'string' } }, { names: ['site'] });
    const db = await ctx.db();
    const target = await requireSite(db, positionals[0]!);
    const keys = ctx.keys();
    const checkpoint = values.checkpoint === undefined ? undefined : await checkpointOf(keys, values.checkpoint, target);
    const check = await verifyAuditChain(db, keys.auditChain, target.id, { hashAt: checkpoint?.entries });
    if (!check.ok) {
      // Nothing verified under this key yet: the likelier cause may be the command's settings.
      const key = check.entries === check.legacy ? " (or this is not the server's SECRET_KEY)" : '';
      throw new Refusal(`The audit of ${target.slug} is broken at entry #${check.brokenAt}${key}.`);
    }
    const removed = check.removed
      ? ` after the ${check.removed === 1 ? 'oldest was' : `${check.removed} oldest were`} removed as the retention setting asks`
      : '';
    const legacy = check.legacy === 0 ? '' : `, the first ${check.legacy === 1 ? '' : `${check.legacy} `}from before the chain was keyed`;
    const holds = `The audit of ${target.slug} holds: ${countEntries(check.entries)}${removed}${legacy}`;
    if (!checkpoint) return `${holds}.`;
    const of = `the checkpoint of ${when(checkpoint.at)}`;
    const now = check.entries + (check.removed ?? 0);
    switch (compareWithCheckpoint(check, checkpoint)) {
      case 'cut-short': {
        const counting = check.removed ? `, counting the ${check.removed} removed as the retention setting asks` : '';
        throw new Refusal(
          `The audit of ${target.slug} has been cut short: ${of} counted ${countEntries(checkpoint.entries)}, there ${now === 1 ? 'is' : 'are'} ${now} now${counting}.`,
        );
      }
      case 'removed-since':
        throw new Refusal(
          `${holds}, but ${of} cannot be checked: the ${countEntries(checkpoint.entries)} it counted have all been removed since. Check against a newer checkpoint.`,
        );
      case 'changed':
        throw new Refusal(
          `The audit of ${target.slug} has been rewritten: entries before ${of} were changed (the last of the ${countEntries(checkpoint.entries)} it counted has another hash now).`,
        );
      case 'matches':
        return `${holds}; ${of} matches (${countEntries(checkpoint.entries)} then).`;
    }
  },
};

export const countEntries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/** A checkpoint's time as an operator's logs have it: UTC, to the minute. */
const when = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The site's newest checkpoint in the file; the file must be readable and every line in it signed. */
async function checkpointOf(keys: Keys, file: string, target: { id: string; slug: string }): Promise<AuditCheckpoint> {
  let found: Awaited<ReturnType<typeof newestCheckpoint>>;
  try {
    const handle = await open(file);
    try {
      found = await newestCheckpoint(keys.auditCheckpoint, handle.readLines(), target.id);
    } finally {
      await handle.close().catch(() => {});
    }
  } catch (err) {
    throw new Refusal(`Cannot read the checkpoint file ${file}: ${(err as Error).message.split(',')[0]}`);
  }
  if ('badLine' in found) {
    throw new Refusal(
      `Line ${found.badLine} of ${file} is not a checkpoint signed with this SECRET_KEY: its signature does not verify, so the file cannot be trusted.`,
    );
  }
  if (!found.checkpoint) throw new Refusal(`${file} has no checkpoint of the audit of ${target.slug}.`);
  return found.checkpoint;
}
