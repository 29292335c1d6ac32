// What the flows and routes share: settings, database, logger, keys and the auth machinery.
import type { Logger } from 'pino';
import { PasswordMethod, HashingGate } from './auth/methods/password/index.ts';
import { SignInThrottle } from './auth/throttle.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import { deriveKeys, type Keys } from './lib/keys.ts';

export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  keys: Keys;
  passwords: PasswordMethod;
  signInThrottle: SignInThrottle;
}

export async function createServices(config: Config, db: Db, log: Logger, secretKey: string): Promise<Services> {
  const gate = new HashingGate({ concurrency: config.hashConcurrency, queueLimit: config.hashQueueLimit });
  return {
    config,
    db,
    log,
    keys: deriveKeys(secretKey),
    passwords: await PasswordMethod.create(config.argon2, gate),
    signInThrottle: new SignInThrottle(db),
  };
}
