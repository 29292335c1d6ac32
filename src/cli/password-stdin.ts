// --password-stdin: the new password is piped in (from a password manager or a file), never
// typed at a prompt that echoes it and never taken as an argument that `ps` and shell history see.
import { Refusal } from './command.ts';

export const MAX_PASSWORD_LENGTH = 1024; // as the sign-in page accepts

export type Stdin = AsyncIterable<string | Uint8Array> & { isTTY?: boolean };

// No UTF-16 unit takes more than 3 UTF-8 bytes: beyond this, the password is too long for certain.
const MAX_BYTES = MAX_PASSWORD_LENGTH * 3 + 2;

/** The whole of stdin less one trailing newline; refuses a terminal, nothing, or more than 1024 characters. */
export async function readPasswordFromStdin(stdin: Stdin): Promise<string> {
  if (stdin.isTTY) {
    throw new Refusal('--password-stdin reads the password from a pipe, not from a terminal (it would show on screen)');
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.from(chunk);
    chunks.push(buffer);
    bytes += buffer.length;
    if (bytes > MAX_BYTES) throw tooLong();
  }
  let password: string;
  try {
    password = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new Refusal('the password on stdin is not UTF-8 text');
  }
  password = password.replace(/\r?\n$/, '');
  if (password === '') throw new Refusal('no password on stdin (--password-stdin reads it from a pipe)');
  if (password.length > MAX_PASSWORD_LENGTH) throw tooLong();
  return password;
}

const tooLong = () => new Refusal(`a password has at most ${MAX_PASSWORD_LENGTH} characters`);
