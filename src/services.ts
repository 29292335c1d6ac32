// The composition root's services: everything that lives as long as the process, made once
// here and passed down. The flows see them as AuthServices (auth/flows/deps.ts); the web layer
// also has the door's admission (the event loop's lateness, the busy page, refusal counts).
import type { Logger } from 'pino';
import type { AuthServices } from './auth/flows/deps.ts';
import { PasswordMethod, HashingGate } from './auth/methods/password/index.ts';
import { ResetRequestThrottle, SecondFactorThrottle, SignInThrottle } from './auth/throttle/index.ts';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import { CountedWarning } from './lib/counted-warning.ts';
import { deriveKeys } from './lib/keys.ts';
import { MailSender } from './mail/sender.ts';
import { createMailTransport } from './mail/transport.ts';
import { SignInAdmission } from './web/middleware/sign-in-admission.ts';

export interface Services extends AuthServices {
  /** Sends the outbox; after committing a transaction that enqueued mail, call mail.kick(). */
  mail: MailSender;
  /** Admission at the door under a flood (web/front-door.ts, middleware/sign-in-admission.ts). */
  admission: SignInAdmission;
}

export async function createServices(config: Config, db: Db, log: Logger, secretKey: string): Promise<Services> {
  const gate = new HashingGate({ concurrency: config.hashConcurrency, queueLimit: config.hashQueueLimit });
  const keys = deriveKeys(secretKey);
  const passwords = await PasswordMethod.create(config.argon2, gate);
  return {
    config,
    db,
    log,
    keys,
    passwords,
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
    admission: await SignInAdmission.start(gate, log, config.secureCookies),
  };
}
