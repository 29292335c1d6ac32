// What the flows are given, by the composition root (services.ts) or by the `gatehouse` command.
// Declared here, beside the flows, so that they need nothing from above them: each flow takes
// the narrowest of these that it can.
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/connect.ts';
import type { CountedWarning } from '../../lib/counted-warning.ts';
import type { Keys } from '../../lib/keys.ts';
import type { Metrics } from '../../lib/metrics.ts';
import type { PasswordMethod } from '../methods/password/index.ts';
import type { PushServices } from '../methods/push/push-services.ts';
import type { ResetRequestThrottle, SecondFactorThrottle, SignInThrottle } from '../throttle/index.ts';

/** What an admin or support flow needs: the server passes its services, the command the same from its settings. */
export interface FlowDeps {
  db: Db;
  log: Logger;
  keys: Pick<Keys, 'encryption' | 'auditChain'>;
  config: { publicUrl: URL };
  /** Mail was written to the outbox: send soon (the command has no sender; the server's picks it up). */
  mail: { kick(): void };
}

/** What the sign-in, second-factor and account flows need besides: the password method and the throttles. */
export interface AuthServices extends FlowDeps {
  config: Config;
  keys: Keys;
  passwords: PasswordMethod;
  signInThrottle: SignInThrottle;
  resetThrottle: ResetRequestThrottle;
  secondFactorThrottle: SecondFactorThrottle;
  /** The Gatehouse Authenticator's wake-ups, Web Push and place database. */
  authenticator: PushServices;
  /** Refusals counted for the operator's log, a line per 10 s while they go on, not one each. */
  refusals: { throttled: CountedWarning };
  /** Counts for the operator's dashboard (lib/metrics.ts): outcomes only, nothing personal. */
  metrics: Metrics;
}
