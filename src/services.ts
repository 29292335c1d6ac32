// What the flows and routes share: settings, database, logger, keys, the auth machinery and
// the mail sender.
import type { Logger } from 'pino';
import { PasswordMethod, HashingGate } from './auth/methods/password/index.ts';
import { ResetRequestThrottle, SecondFactorThrottle, SignInThrottle } from './auth/throttle/index.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import { CountedWarning } from './lib/counted-warning.ts';
import { deriveKeys, type Keys } from './lib/keys.ts';
import { MailSender } from './mail/sender.ts';
import { createMailTransport } from './mail/transport.ts';

export interface Services {
  config: Config;
  db: Db;
  log: Logger;
  keys: Keys;
  passwords: PasswordMethod;
  signInThrottle: SignInThrottle;
  resetThrottle: ResetRequestThrottle;
  secondFactorThrottle: SecondFactorThrottle;
  /** Refusals counted for the operator's log, a line per 10 s while they go on, not one each. */
  refusals: { throttled: CountedWarning };
  /** Sends the outbox; after committing a transaction that enqueued mail, call mail.kick(). */
  mail: MailSender;
}

export async function createServices(config: Config, db: Db, log: Logger, secretKey: string): Promise<Services> {
  const gate = new HashingGate({ concurrency: config.hashConcurrency, queueLimit: config.hashQueueLimit });
  const keys = deriveKeys(secretKey);
  return {
    config,
    db,
    log,
    keys,
    passwords: await PasswordMethod.create(config.argon2, gate),
    signInThrottle: new SignInThrottle(db),
    resetThrottle: new ResetRequestThrottle(db),
    secondFactorThrottle: new SecondFactorThrottle(db),
    refusals: { throttled: new CountedWarning(log, 'attempts refused: too many failures (429)') },
    // Not sending until startGatehouse starts it.
    mail: new MailSender({
      db,
      key: keys.encryption,
      transport: createMailTransport(config),
      log,
      pollMs: config.mailPollMs,
      retry: config.mailRetry,
    }),
  };
}
