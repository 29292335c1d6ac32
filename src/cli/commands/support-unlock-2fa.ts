// gatehouse support unlock-2fa <email>
import { unlockSecondFactorsBySupport } from '../../auth/flows/unlock-second-factors.ts';
import { commandLineActor } from '../../directory/admin-audit.ts';
import { accepted, type Command, parseCommandArgs } from '../command.ts';

export const supportUnlock2fa: Command = {
  words: ['support', 'unlock-2fa'],
  synopsis: '<email>',
  details: [
    "Platform support: unlocks a Single Sign-On account's two-factor sign-in after it was locked",
    'by 100 failed second factors in a row (a password reset by its owner unlocks it too). The',
    'person is emailed; it goes in their security log and in the audit of every linked site.',
    "(An Identity account is unlocked by its school's admin key holders, in Admin.)",
    "  <email>   the SSO account's email address",
  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { names: ['email'] });
    const done = accepted(await unlockSecondFactorsBySupport(await ctx.flowDeps(), positionals[0]!, commandLineActor));
    if (!done.unlocked) return `Two-factor sign-in of ${done.email} is not locked: nothing to do`;
    return `Unlocked two-factor sign-in of ${done.email}; audited at ${done.sites.join(', ')}`;
  },
};
