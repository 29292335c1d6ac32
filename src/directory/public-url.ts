// The address emails link to. The server records the one it serves at, so that the `gatehouse`
// command, run where PUBLIC_URL may not be set, links to the same place instead of localhost.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connect.ts';
import { serviceSetting } from '../db/schema.ts';

const KEY = 'public_url';

/** At start: this is where the service is. */
export async function recordPublicUrl(db: Db, publicUrl: URL): Promise<void> {
  await db
    .insert(serviceSetting)
    .values({ key: KEY, value: publicUrl.origin })
    .onConflictDoUpdate({ target: serviceSetting.key, set: { value: publicUrl.origin, updatedAt: sql`now()` } });
}

/** The address the server last started with, if it has ever run on this database. */
export async function recordedPublicUrl(db: Db): Promise<URL | undefined> {
  const [row] = await db.select({ value: serviceSetting.value }).from(serviceSetting).where(eq(serviceSetting.key, KEY));
  return row && URL.canParse(row.value) ? new URL(row.value) : undefined;
}

/**
 * The command's public address: PUBLIC_URL when set, else the server's; and a warning when
 * they differ, or when neither is known outside development (its emails would point at localhost).
 */
export function publicUrlForCommand(
  env: { publicUrlSet: boolean; publicUrl: URL; nodeEnv: string },
  recorded: URL | undefined,
): { publicUrl: URL; warning?: string } {
  if (env.publicUrlSet) {
    if (recorded && recorded.origin !== env.publicUrl.origin) {
      return {
        publicUrl: env.publicUrl,
        warning: `PUBLIC_URL is ${env.publicUrl.origin} but the server last started at ${recorded.origin}: emails link to ${env.publicUrl.origin}`,
      };
    }
    return { publicUrl: env.publicUrl };
  }
  if (recorded) return { publicUrl: recorded };
  if (env.nodeEnv === 'development') return { publicUrl: env.publicUrl };
  return {
    publicUrl: env.publicUrl,
    warning: `PUBLIC_URL is not set and the server has not recorded its address: emails link to ${env.publicUrl.origin}. Set PUBLIC_URL as the server has it`,
  };
}
