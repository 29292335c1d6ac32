// gatehouse keys rotate
import { rotateSigningKeys } from '../../oidc/signing-keys.ts';
import { type Command, parseCommandArgs } from '../command.ts';

export const keysRotate: Command = {
  words: ['keys', 'rotate'],
  synopsis: '',
  details: [
    'Makes a new signing key for the OpenID Connect provider (sealed with SECRET_KEY, like the',
    'first, which Gatehouse made when it first started). Every running instance signs with it',
    'at once, without a restart (told through the database; one that misses that looks again',
    'within a minute). The previous key stays in the published JWKS until what it signed has',
    'expired (two hours), so school systems keep verifying tokens already issued.',
  ].join('\n'),
  async run(args, ctx) {
    parseCommandArgs(args, {}, { names: [] });
    const { kid, retired } = await rotateSigningKeys(await ctx.db(), ctx.keys().encryption);
    ctx.output(`kid: ${kid}`);
    return `A new signing key was made; ${retired === 1 ? 'the previous key was' : `${retired} previous keys were`} retired (published for two more hours). Running instances sign with the new key from now on.`;
  },
};
