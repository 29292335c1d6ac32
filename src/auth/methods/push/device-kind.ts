// The kind of device row that is a Gatehouse Authenticator (db/schema.ts device.kind).
export const GATEHOUSE_AUTHENTICATOR_KIND = 'gatehouse_authenticator' as const;
