// The state a sign-in carries from step to step.
import type { Site } from '../../../directory/sites.ts';

export type Provider = 'identity' | 'sso';

export interface SignInRequest {
  site: Site;
  email: string;
  password: string;
  provider: Provider;
  ip: string;
  userAgent: string;
  /** The browser proved an earlier successful sign-in to this email (see throttle.ts). */
  knownBrowser: boolean;
}

export type { SiteAccount as MatchedAccount } from '../../../directory/accounts.ts';

/** Why a sign-in failed, kept for the security log; the person only ever sees one message. */
export type FailureReason = 'unknown_email' | 'no_password_set' | 'wrong_password' | 'user_disabled';

export type SignInResult =
  | { outcome: 'signed_in'; token: string; sessionId: string; accountId: string }
  /** The password was right and the account has a device: the second step comes next. */
  | { outcome: 'second_factor_needed'; pendingToken: string; accountId: string }
  | { outcome: 'failed'; reason: FailureReason }
  | { outcome: 'throttled'; retryAfterSeconds: number };
