/** The secret in groups of four (`JBSW Y3DP …`), for typing into an app by hand; apps ignore the spaces. */
export function formatSecretForTyping(secret: string): string {
  return (
    secret
      .replace(/\s+/g, '')
      .match(/.{1,4}/g)
      ?.join(' ') ?? ''
  );
}
