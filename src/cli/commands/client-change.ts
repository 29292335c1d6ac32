// gatehouse client rotate-secret|disable|enable|delete <client_id>: a registered system's
// changes, each audited at its site as done by the command line.
import { auditedByCommandLine, type Changer } from '../../directory/admin-audit.ts';
import {
  deleteIntegration,
  disableIntegration,
  enableIntegration,
  type IntegrationDeps,
  rotateIntegrationSecret,
  type StatusChange,
} from '../../directory/integrations.ts';
import type { Outcome } from '../../lib/outcome.ts';
import { accepted, type Command, type CommandContext, parseCommandArgs } from '../command.ts';

const CLIENT_ID = "  <client_id>   the system's client id (gatehouse client list <site>)";

/** Runs `change` on the client id given, by the command line. */
async function onClient<T>(
  args: string[],
  ctx: CommandContext,
  change: (deps: IntegrationDeps, by: Changer, clientId: string) => Promise<Outcome<T>>,
): Promise<{ clientId: string; value: T }> {
  const { positionals } = parseCommandArgs(args, {}, { names: ['client_id'] });
  const deps = await ctx.flowDeps();
  const clientId = positionals[0]!;
  return { clientId, value: accepted(await change(deps, auditedByCommandLine(deps.keys.auditChain), clientId)) };
}

export const clientRotateSecret: Command = {
  words: ['client', 'rotate-secret'],
  synopsis: '<client_id>',
  details: [
    'Gives a registered system a new secret and prints it on stdout (client_secret: …), this once.',
    'The old secret stops working at once: give the new one to the system straight away.',
    CLIENT_ID,
  ].join('\n'),
  async run(args, ctx) {
    const { value } = await onClient(args, ctx, rotateIntegrationSecret);
    ctx.output(`client_secret: ${value.clientSecret}`);
    return `Rotated the secret of ${value.name}: keep it now, it is not shown again`;
  },
};

function statusCommand(action: 'disable' | 'enable', change: typeof disableIntegration, what: string): Command {
  const [did, already] = action === 'disable' ? ['Disabled', 'already disabled'] : ['Enabled', 'already enabled'];
  return {
    words: ['client', action],
    synopsis: '<client_id>',
    details: [what, CLIENT_ID].join('\n'),
    async run(args, ctx) {
      const { value } = await onClient<StatusChange>(args, ctx, change);
      return value.changed ? `${did} ${value.name}` : `${value.name} was ${already}`;
    },
  };
}

export const clientDisable = statusCommand(
  'disable',
  disableIntegration,
  'Stops a registered system signing anyone in and using its tokens; its registration and\nsecret are kept, for gatehouse client enable.',
);

export const clientEnable = statusCommand('enable', enableIntegration, 'Lets a disabled system sign people in again, with the secret it had.');

export const clientDelete: Command = {
  words: ['client', 'delete'],
  synopsis: '<client_id>',
  details: ['Removes a registered system for good: it can no longer sign anyone in, and its client id', 'is never given again.', CLIENT_ID].join('\n'),
  async run(args, ctx) {
    const { value } = await onClient(args, ctx, deleteIntegration);
    return `Deleted ${value.name}`;
  },
};
