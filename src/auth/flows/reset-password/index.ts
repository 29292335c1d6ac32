export { type LinkRequest, requestResetLink } from './request-link.ts';
export { findUsableLink, type UsableLink } from './reset-link.ts';
export { type NewPassword, policyContextFor, type SetPasswordResult, setPasswordWithLink } from './set-password.ts';
