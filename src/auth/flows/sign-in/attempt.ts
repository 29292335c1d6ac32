// The state a sign-in carries from step to step.
import type { Site } from '../../../directory/sites.ts';
import type { BrowserClaim } from '../../known-browsers.ts';

export type Provider = 'identity' | 'sso';

export interface SignInRequest {
  site: Site;
  email: string;
  password: string;
  provider: Provider;
  ip: string;
  userAgent: string;
  /** The browser's cookie claims an earlier sign-in with this email (auth/known-browsers.ts). */
  browser: BrowserClaim | undefined;
}

export type { SiteAccount as MatchedAccount } from '../../../directory/accounts.ts';

/** Why a sign-in failed, kept for the security log; the person only ever sees one message. */
export type FailureReason = 'unknown_email' | 'no_password_set' | 'wrong_password' | 'user_disabled' | 'access_ended' | 'access_not_started';

export type SignInResult =
  /** `browserToken`: this browser's known-browser id for the account, for its cookie. */
  | { outcome: 'signed_in'; token: string; sessionId: string; accountId: string; browserToken: string }
  /** The password was right and the account has a device: the second step comes next. */
  | { outcome: 'second_factor_needed'; pendingToken: string; accountId: string }
  | { outcome: 'failed'; reason: FailureReason }
  | { outcome: 'throttled'; retryAfterSeconds: number };
