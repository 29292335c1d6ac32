// gatehouse support remove-2fa <email>
import { removeDevicesBySupport } from '../../auth/flows/remove-devices.ts';
import { commandLineActor } from '../../directory/admin-audit.ts';
import { accepted, type Command, parseCommandArgs } from '../command.ts';

export const supportRemove2fa: Command = {
  words: ['support', 'remove-2fa'],
  synopsis: '<email>',
  details: [
    "Platform support: removes a Single Sign-On account's two-factor devices (apps and security",
    'keys; managed tokens stay) and its recovery codes, and drops its sessions to basic access.',
    'The person registers new devices at their next sign-in. They are emailed; the removal goes',
    'in their security log and in the audit of every site the account is linked to.',
    "(An Identity account's devices are removed by its school's admin key holders, in Admin.)",
    "  <email>   the SSO account's email address",
  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { names: ['email'] });
    const done = accepted(await removeDevicesBySupport(await ctx.flowDeps(), positionals[0]!, commandLineActor));
    const kept = done.kept > 0 ? `; kept ${done.kept} managed token${done.kept === 1 ? '' : 's'}` : '';
    if (done.removed === 0) return `${done.email} has no two-factor devices to remove${kept}`;
    return `Removed ${done.removed} two-factor device${done.removed === 1 ? '' : 's'} of ${done.email}${kept}; audited at ${done.sites.join(', ')}`;
  },
};
