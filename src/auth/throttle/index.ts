export { RESET_REQUEST_RULES, ResetRequestThrottle } from './reset-request-throttle.ts';
export {
  SECOND_FACTOR_FAILURE_CAP,
  SECOND_FACTOR_RULE,
  type SecondFactorAdmission,
  SecondFactorThrottle,
  secondFactorsLocked,
  unlockSecondFactors,
} from './second-factor-throttle.ts';
export { type PasswordAttempt, SIGN_IN_RULES, SignInThrottle } from './sign-in-throttle.ts';
export { type Counted, type Lockout, type Reservation, storedKey, Throttle, type ThrottleKey, type ThrottleRule } from './throttle.ts';
export { throttledAddress } from './throttled-address.ts';
