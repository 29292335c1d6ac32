// What the web layer is given by the composition root (services.ts): the flows' services, the
// mail sender, the door's admission and the OpenID Connect provider. Declared here, so that nothing in web imports the root.
import type { AuthServices } from '../auth/flows/deps.ts';
import type { DatabaseAvailability } from '../db/availability.ts';
import type { MailSender } from '../mail/sender.ts';
import type { OidcService } from '../oidc/service.ts';
import type { SignInAdmission } from './admission.ts';
import type { Readiness } from './readiness.ts';

export interface WebServices extends AuthServices {
  /** Sends the outbox; after committing a transaction that enqueued mail, call mail.kick(). */
  mail: MailSender;
  /** Admission at the door under a flood (front-door.ts, middleware/sign-in-admission.ts). */
  admission: SignInAdmission;
  /** The OpenID Connect provider and its back-channel logout sender (src/oidc/). */
  oidc: OidcService;
  /** Whether the database can be reached: every query's failure is classified there, once. */
  database: DatabaseAvailability;
  /** GET /healthz/ready: the database answers, migrated, not shutting down. */
  readiness: Readiness;
}
