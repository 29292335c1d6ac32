// A file named on the command line, read whole: a refusal the person can act on when it is
// missing, unreadable or larger than the command takes.
import { readFile } from 'node:fs/promises';
import { Refusal } from './command.ts';

export async function readFileForCommand(file: string, maxBytes: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new Refusal(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  if (bytes.length > maxBytes) throw new Refusal(`${file} is over ${maxBytes / 1024 / 1024} MiB: split it`);
  return bytes;
}
