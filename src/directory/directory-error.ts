/** A refusal a person can act on (unknown site, duplicate email…): its message is shown as is. */
export class DirectoryError extends Error {
  override name = 'DirectoryError';
}
