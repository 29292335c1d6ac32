// The devices that make six-digit codes (RFC 6238): an authenticator app the person adds, and
// a hardware token the vendor issued (auth/flows/managed-tokens.ts), which stays when devices
// are removed.
import type { DeviceType } from '../second-factor.ts';

export const authenticatorApp: DeviceType = {
  kind: 'totp',
  names: { adminType: 'TOTP', inEmails: 'Authenticator app' },
  removable: true,
};

export const managedToken: DeviceType = {
  kind: 'managed_totp',
  names: { adminType: 'Managed token', inEmails: 'Managed token' },
  removable: false,
  listedApart: {
    heading: 'Managed tokens',
    id: 'managed-tokens-heading',
    caption: 'Managed tokens issued to you',
    text: 'Security tokens issued to you: small devices that show a new 6-digit code every 30 seconds. They stay on your account and cannot be removed here.',
  },
};
