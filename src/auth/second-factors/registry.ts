// The second-factor methods, one line each, in the order the second step offers them. A new
// method is a folder beside these and a line here (ARCHITECTURE.md, "Adding a second-factor method").
import { oneTimeCode } from './one-time-code/index.ts';
import { push } from './push/index.ts';
import { recoveryCode } from './recovery-code/index.ts';
import type { SecondFactor } from './second-factor.ts';
import { securityKey } from './security-key/index.ts';

export const SECOND_FACTORS: readonly SecondFactor[] = [push, oneTimeCode, securityKey, recoveryCode];
