export { requestResetLink, type LinkRequest } from './request-link.ts';
export { setPasswordWithLink, policyContextFor, type NewPassword, type SetPasswordResult } from './set-password.ts';
export { findUsableLink, type UsableLink } from './reset-link.ts';
