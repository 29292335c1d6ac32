import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { describe, expect, it } from 'vitest';
import { MAX_CREDENTIAL_JSON_CHARS, parseCredentialJson } from './credential-json.ts';
import { softwareAuthenticator } from './test-support/software-authenticator.ts';

const ORIGIN = 'https://gatehouse.example.org';
const creation = {
  challenge: 'Y2hhbGxlbmdlLWZvci1yZWdpc3RyYXRpb24',
  rp: { id: 'gatehouse.example.org', name: 'Gatehouse' },
  user: { id: 'dXNlcg', name: 'a@example.org', displayName: 'a@example.org' },
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
} satisfies PublicKeyCredentialCreationOptionsJSON;
const request = { challenge: 'Y2hhbGxlbmdlLWZvci1zaWduLWlu', rpId: 'gatehouse.example.org' } satisfies PublicKeyCredentialRequestOptionsJSON;

const key = softwareAuthenticator();
const registration = key.register(creation, ORIGIN, 'packed');
const authentication = key.authenticate(request, ORIGIN);

/** A response as JSON, to be mangled on purpose: any field, of any shape. */
// biome-ignore lint/suspicious/noExplicitAny: the tests break the response's shape deliberately
type Mangled = any;

/** The registration response with `change` applied to a copy of it. */
function registrationWith(change: (r: Mangled) => void): string {
  const copy = structuredClone(registration) as Mangled;
  change(copy);
  return JSON.stringify(copy);
}

function authenticationWith(change: (r: Mangled) => void): string {
  const copy = structuredClone(authentication) as Mangled;
  change(copy);
  return JSON.stringify(copy);
}

describe('parseCredentialJson: a registration', () => {
  it('accepts what the browser posts, as JSON text or already parsed', () => {
    expect(parseCredentialJson(JSON.stringify(registration), 'registration')).toEqual(registration);
    expect(parseCredentialJson(registration, 'registration')).toEqual(registration);
  });

  it('drops extension outputs (none are asked for) and an attachment it does not know', () => {
    const parsed = parseCredentialJson(
      registrationWith((r) => {
        r.clientExtensionResults = { credProps: { rk: false }, somethingNew: 'x' };
        r.authenticatorAttachment = 'quantum';
      }),
      'registration',
    );
    expect(parsed?.clientExtensionResults).toEqual({});
    expect(parsed?.authenticatorAttachment).toBeUndefined();
    expect(parsed?.response.attestationObject).toBe(registration.response.attestationObject);
  });

  it('refuses what is not JSON, or not an object of the right shape', () => {
    for (const text of ['', 'not json', '{', 'null', '42', '"text"', '[]', '{}', JSON.stringify({ ...registration, response: 'x' })]) {
      expect(parseCredentialJson(text, 'registration'), text).toBeUndefined();
    }
    expect(parseCredentialJson(undefined, 'registration')).toBeUndefined();
    expect(parseCredentialJson(null, 'registration')).toBeUndefined();
  });

  it('refuses a missing or mistyped field', () => {
    expect(
      parseCredentialJson(
        registrationWith((r) => delete r.id),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => delete r.response.attestationObject),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => delete r.response.clientDataJSON),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.type = 'password')),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.response.transports = 'usb')),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.response.publicKeyAlgorithm = 'ES256')),
        'registration',
      ),
    ).toBeUndefined();
  });

  it('refuses an id that is not the rawId', () => {
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.rawId = 'AAAA')),
        'registration',
      ),
    ).toBeUndefined();
  });

  it('refuses anything but unpadded base64url where base64url belongs', () => {
    for (const bad of ['abc=', 'ab+c', 'ab/c', '<script>', 'a b', 'é']) {
      expect(
        parseCredentialJson(
          registrationWith((r) => (r.response.clientDataJSON = bad)),
          'registration',
        ),
        bad,
      ).toBeUndefined();
    }
  });

  it('refuses over-long fields and text', () => {
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.id = r.rawId = 'A'.repeat(1_365))),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.id = r.rawId = 'A'.repeat(1_364))),
        'registration',
      ),
    ).toBeDefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.response.attestationObject = 'A'.repeat(12_289))),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.response.clientDataJSON = 'A'.repeat(2_049))),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.response.transports = Array(11).fill('usb'))),
        'registration',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        registrationWith((r) => (r.response.transports = ['u'.repeat(33)])),
        'registration',
      ),
    ).toBeUndefined();
    // The whole text is measured before it is parsed, whitespace and all.
    const padded = JSON.stringify(registration).padEnd(MAX_CREDENTIAL_JSON_CHARS.registration + 1, ' ');
    expect(parseCredentialJson(padded, 'registration')).toBeUndefined();
    expect(parseCredentialJson(padded.slice(0, -1), 'registration')).toBeDefined();
  });

  it('refuses an authentication response where a registration belongs', () => {
    expect(parseCredentialJson(JSON.stringify(authentication), 'registration')).toBeUndefined();
  });
});

describe('parseCredentialJson: an authentication', () => {
  it('accepts what the browser posts, with or without a user handle (null meaning none)', () => {
    expect(parseCredentialJson(JSON.stringify(authentication), 'authentication')).toEqual(authentication);
    const withHandle = parseCredentialJson(
      authenticationWith((r) => (r.response.userHandle = 'dXNlcg')),
      'authentication',
    );
    expect(withHandle?.response.userHandle).toBe('dXNlcg');
    const nullHandle = parseCredentialJson(
      authenticationWith((r) => (r.response.userHandle = null)),
      'authentication',
    );
    expect(nullHandle).toBeDefined();
    expect(nullHandle?.response.userHandle).toBeUndefined();
  });

  it('refuses a missing, mistyped or over-long field', () => {
    expect(
      parseCredentialJson(
        authenticationWith((r) => delete r.response.signature),
        'authentication',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        authenticationWith((r) => delete r.response.authenticatorData),
        'authentication',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        authenticationWith((r) => (r.response.signature = 12)),
        'authentication',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        authenticationWith((r) => (r.response.signature = 'A'.repeat(1_025))),
        'authentication',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        authenticationWith((r) => (r.response.userHandle = 'A'.repeat(89))),
        'authentication',
      ),
    ).toBeUndefined();
    expect(
      parseCredentialJson(
        authenticationWith((r) => (r.rawId = `${r.rawId}A`)),
        'authentication',
      ),
    ).toBeUndefined();
    const padded = JSON.stringify(authentication).padEnd(MAX_CREDENTIAL_JSON_CHARS.authentication + 1, ' ');
    expect(parseCredentialJson(padded, 'authentication')).toBeUndefined();
  });

  it('refuses a registration response where an authentication belongs', () => {
    expect(parseCredentialJson(JSON.stringify(registration), 'authentication')).toBeUndefined();
  });
});
