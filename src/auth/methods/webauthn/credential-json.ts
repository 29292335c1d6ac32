// The browser's answer to a WebAuthn ceremony, as posted in the form's `credential` field: read
// as JSON and checked for shape and size here, before @simplewebauthn/server sees any of it.
// Anything else (not JSON, a missing or over-long field, a field that is not base64url) is
// undefined, so the caller refuses it as malformed instead of throwing.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { z } from 'zod';

/** Longest posted JSON accepted: a registration carries an attestation (certificates), an authentication a signature. */
export const MAX_CREDENTIAL_JSON_CHARS = { registration: 16_384, authentication: 8_192 } as const;

/** Base64url without padding, as browsers and @simplewebauthn/browser write it. */
const base64url = (maxChars: number) =>
  z
    .string()
    .min(1)
    .max(maxChars)
    .regex(/^[A-Za-z0-9_-]+$/);

const common = {
  // A credential ID is at most 1,023 bytes (WebAuthn §5.8.3): 1,364 base64url characters.
  id: base64url(1_364),
  rawId: base64url(1_364),
  type: z.literal('public-key'),
  // An unknown attachment (a future value) is ignored, not refused.
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional().catch(undefined),
  // Gatehouse asks for no extensions, so their outputs are dropped unread.
  clientExtensionResults: z
    .record(z.string(), z.unknown())
    .optional()
    .transform(() => ({})),
};

const sameIds = (c: { id: string; rawId: string }) => c.id === c.rawId;

export const registrationResponseSchema = z
  .object({
    ...common,
    response: z.object({
      clientDataJSON: base64url(2_048),
      attestationObject: base64url(12_288),
      authenticatorData: base64url(4_096).optional(),
      transports: z.array(z.string().max(32)).max(10).optional(),
      publicKeyAlgorithm: z.number().int().optional(),
      publicKey: base64url(2_048).optional(),
    }),
  })
  .refine(sameIds) satisfies z.ZodType<RegistrationResponseJSON>;

export const authenticationResponseSchema = z
  .object({
    ...common,
    response: z.object({
      clientDataJSON: base64url(2_048),
      authenticatorData: base64url(2_048),
      // An RSA-4096 signature is 512 bytes (683 characters); ES256 and Ed25519 far less.
      signature: base64url(1_024),
      // At most 64 bytes; browsers send null as well as nothing when there is none.
      userHandle: base64url(88)
        .nullish()
        .transform((v) => v ?? undefined),
    }),
  })
  .refine(sameIds) satisfies z.ZodType<AuthenticationResponseJSON>;

/**
 * The posted credential, checked: `input` is the form field's text (JSON), or an object already
 * parsed. Undefined for anything malformed.
 */
export function parseCredentialJson(input: unknown, kind: 'registration'): RegistrationResponseJSON | undefined;
export function parseCredentialJson(input: unknown, kind: 'authentication'): AuthenticationResponseJSON | undefined;
export function parseCredentialJson(
  input: unknown,
  kind: 'registration' | 'authentication',
): RegistrationResponseJSON | AuthenticationResponseJSON | undefined {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_CREDENTIAL_JSON_CHARS[kind]) return undefined;
    try {
      value = JSON.parse(input);
    } catch {
      return undefined;
    }
  }
  const schema = kind === 'registration' ? registrationResponseSchema : authenticationResponseSchema;
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}
