// Recovery codes: ten single-use codes for when no device is at hand, stored only as HMACs.
export { countUnusedRecoveryCodes } from './count-unused-recovery-codes.ts';
export { newRecoveryCodes, RECOVERY_CODE_COUNT } from './new-recovery-codes.ts';
export { normaliseRecoveryCode } from './normalise-recovery-code.ts';
export { replaceRecoveryCodes } from './replace-recovery-codes.ts';
export { type RecoveryCodeUse, useRecoveryCode } from './use-recovery-code.ts';
