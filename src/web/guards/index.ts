// What a route needs, declared where it is mounted (web/app.tsx) or beside its handler; every
// rule behind them is in auth/access.ts. A route with none must be on the short list of public
// routes in test/integration/routes-are-guarded.test.ts.
import type { Context } from 'hono';
import type { Permission } from '../../directory/permissions.ts';
import type { AppEnv } from '../env.ts';
import { type Guard, guard } from './guard.ts';

export { GUARD, type Guard, isGuard } from './guard.ts';
export { deviceChangeStepFirst } from './refusal.tsx';

type ReturnTo = (c: Context<AppEnv>) => string;

/** Signed in at any site (switching school). */
export const requireSignedIn = (): Guard => guard('signed in', [{ need: 'signed_in' }]);

/**
 * Signed in at this site. The school's "require two-factor" rule applies unless
 * `beforeTwoFactor` (account settings and elevation: how a person gets a second factor).
 */
export const requireSignedInHere = (options: { beforeTwoFactor?: boolean } = {}): Guard =>
  guard(options.beforeTwoFactor ? 'signed in here (before two-factor)' : 'signed in here', [{ need: 'signed_in_here', ...options }]);

/** A sign-in or elevation in the last 15 minutes (an admin key holder's action on someone's devices). */
export const requireRecentAuthentication = (returnTo?: ReturnTo): Guard =>
  guard('recent authentication', [{ need: 'recent_authentication' }], returnTo ? { returnTo } : {});

/** What changing the account's own devices needs (auth/access.ts deviceChangeGate). */
export const requireDeviceChange = (returnTo?: ReturnTo): Guard => guard('device change', [{ need: 'device_change' }], returnTo ? { returnTo } : {});

/** Elevation in a basic session; in a full one ("Confirm it's you"), the password typed first. */
export const requireReadyToElevate = (returnTo?: ReturnTo): Guard => guard('ready to elevate', [{ need: 'ready_to_elevate' }], returnTo ? { returnTo } : {});

/** A permission of the group at this site, in a session that may use it; `why`: what the 403 page says. */
export const requirePermission = (permission: Permission, why?: string): Guard =>
  guard(`permission ${permission}`, [{ need: 'permission', permission }], why ? { why } : {});
