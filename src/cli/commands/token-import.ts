// gatehouse token import <file.csv>
import { importManagedTokens, parseManagedTokenCsv } from '../../auth/flows/managed-tokens.ts';
import { type Command, parseCommandArgs, Refusal } from '../command.ts';
import { readFileForCommand } from '../read-file.ts';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const tokenImport: Command = {
  words: ['token', 'import'],
  synopsis: '<file.csv>',
  details: [
    "Platform support: imports the vendor's managed tokens (hardware TOTP tokens), unassigned.",
    'The file is CSV with the header serial,secret and one token a line: its serial number and',
    'its base32 secret (SHA-1, 6 digits, 30 seconds). Every line is checked first: a bad line or',
    'a serial already imported refuses the whole file. Secrets are sealed with the key derived',
    "from SECRET_KEY (use the server's) and never printed. Then: gatehouse token assign.",
    "  <file.csv>   the vendor's file",
  ].join('\n'),
  async run(args, ctx) {
    const { positionals } = parseCommandArgs(args, {}, { names: ['file.csv'] });
    const file = positionals[0]!;
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await readFileForCommand(file, MAX_FILE_BYTES));
    } catch (err) {
      if (err instanceof TypeError) throw new Refusal(`${file} is not UTF-8 text`);
      throw err;
    }
    const rows = parseManagedTokenCsv(text);
    const imported = await importManagedTokens(await ctx.flowDeps(), rows);
    return `Imported ${imported} managed token${imported === 1 ? '' : 's'}, unassigned`;
  },
};
