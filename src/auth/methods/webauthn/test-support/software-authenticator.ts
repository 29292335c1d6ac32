// A security key in software, for tests that need real WebAuthn responses without a browser:
// one ES256 credential, answering registration options with 'none' or self ('packed')
// attestation and authentication options with a signature over a counter the test controls.
// Responses are what @simplewebauthn/browser would post (RegistrationResponseJSON,
// AuthenticationResponseJSON), so they go through the same checks as a real key's.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const FLAG_USER_PRESENT = 0x01;
const FLAG_ATTESTED_CREDENTIAL = 0x40;

export interface SoftwareAuthenticator {
  /** base64url */
  readonly credentialId: string;
  /** The signature counter the next answer reports (keys without one always say 0). */
  counter: number;
  register(options: PublicKeyCredentialCreationOptionsJSON, origin: string, format?: 'none' | 'packed'): RegistrationResponseJSON;
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, origin: string): AuthenticationResponseJSON;
}

function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

function base64url(data: Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
}

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

export function softwareAuthenticator(counter = 0): SoftwareAuthenticator {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rawId = randomBytes(32);
  const credentialId = base64url(rawId);
  /** What @simplewebauthn/browser posts around an authenticator's response. */
  const credential = <R>(response: R) => ({
    id: credentialId,
    rawId: credentialId,
    type: 'public-key' as const,
    response,
    clientExtensionResults: {},
    authenticatorAttachment: 'cross-platform' as const,
  });
  return {
    credentialId,
    counter,
    register(options, origin, format = 'none') {
      const clientDataJSON = clientData('webauthn.create', options.challenge, origin);
      const credentialIdLength = Buffer.alloc(2);
      credentialIdLength.writeUInt16BE(rawId.length);
      const authData = Buffer.concat([
        sha256(options.rp.id!),
        Buffer.from([FLAG_USER_PRESENT | FLAG_ATTESTED_CREDENTIAL]),
        uint32(this.counter),
        Buffer.alloc(16), // AAGUID: none
        credentialIdLength,
        rawId,
        coseKey(publicKey),
      ]);
      const attStmt =
        format === 'packed'
          ? new Map<string, number | Uint8Array>([
              ['alg', -7],
              ['sig', sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), privateKey)],
            ])
          : new Map<string, number | Uint8Array>();
      const attestationObject = isoCBOR.encode(
        new Map<string, string | Uint8Array | Map<string, number | Uint8Array>>([
          ['fmt', format],
          ['attStmt', attStmt],
          ['authData', authData],
        ]),
      );
      return credential({
        clientDataJSON: base64url(clientDataJSON),
        attestationObject: base64url(attestationObject),
        transports: ['usb'],
      });
    },
    authenticate(options, origin) {
      const clientDataJSON = clientData('webauthn.get', options.challenge, origin);
      const authData = Buffer.concat([sha256(options.rpId!), Buffer.from([FLAG_USER_PRESENT]), uint32(this.counter)]);
      const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), privateKey);
      return credential({
        clientDataJSON: base64url(clientDataJSON),
        authenticatorData: base64url(authData),
        signature: base64url(signature),
      });
    },
  };
}
