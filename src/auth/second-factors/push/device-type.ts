// The Gatehouse Authenticator as a device: its own type in the admin's view and in emails.
import { GATEHOUSE_AUTHENTICATOR_KIND } from '../../methods/push/device-kind.ts';
import type { DeviceType } from '../second-factor.ts';

export const gatehouseAuthenticator: DeviceType = {
  kind: GATEHOUSE_AUTHENTICATOR_KIND,
  names: { adminType: 'Gatehouse Authenticator', inEmails: 'Gatehouse Authenticator' },
  removable: true,
};
