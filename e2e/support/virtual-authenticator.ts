// Security keys for browser tests: Chromium's virtual authenticators, through the DevTools
// protocol's WebAuthn domain. A virtual authenticator belongs to one page (its tab), lives
// across that page's navigations, and answers navigator.credentials.create() and get() as a
// real key would, touched at once (automaticPresenceSimulation), with no browser dialog.
//
//   const key = await addVirtualAuthenticator(page, 'u2f');   // a FIDO U2F key (fido-u2f attestation)
//   const key = await addVirtualAuthenticator(page, 'ctap2'); // a FIDO2 key with a PIN or fingerprint
//   await key.credentials();                                  // what it holds, with its counters
//   await key.remove();
import type { CDPSession, Page } from 'playwright-core';

export type VirtualAuthenticatorMode = 'u2f' | 'ctap2';

/** The options each mode gives WebAuthn.addVirtualAuthenticator. */
export const VIRTUAL_AUTHENTICATOR_OPTIONS = {
  /** A FIDO U2F key: no resident credentials, no user verification (no PIN), only a touch. */
  u2f: {
    protocol: 'u2f',
    transport: 'usb',
    hasResidentKey: false,
    hasUserVerification: false,
    automaticPresenceSimulation: true,
  },
  /** A FIDO2 key that can hold passkeys and verify its user (PIN or fingerprint), which succeeds. */
  ctap2: {
    protocol: 'ctap2',
    transport: 'usb',
    hasResidentKey: true,
    hasUserVerification: true,
    isUserVerified: true,
    automaticPresenceSimulation: true,
  },
} as const;

/** A credential the authenticator holds. */
export interface VirtualCredential {
  /** base64url, as the browser posts it and the device table stores it */
  credentialId: string;
  rpId: string | undefined;
  /** A passkey (discoverable credential) rather than one the server must name. */
  isResidentCredential: boolean;
  /** base64url, when the credential has a user handle */
  userHandle: string | undefined;
  signCount: number;
}

export interface VirtualAuthenticator {
  readonly authenticatorId: string;
  readonly mode: VirtualAuthenticatorMode;
  credentials(): Promise<VirtualCredential[]>;
  /**
   * Whether the key is "touched" by itself (the default). With false it waits, as a key nobody
   * touches does, until the browser's timeout.
   */
  setPresence(present: boolean): Promise<void>;
  remove(): Promise<void>;
}

// One DevTools session per page, with the WebAuthn domain enabled once.
const sessions = new WeakMap<Page, Promise<CDPSession>>();

function webAuthnSession(page: Page): Promise<CDPSession> {
  let session = sessions.get(page);
  if (!session) {
    session = (async () => {
      const s = await page.context().newCDPSession(page);
      // No browser dialog: the virtual authenticator answers by itself.
      await s.send('WebAuthn.enable', { enableUI: false });
      return s;
    })();
    sessions.set(page, session);
    session.catch(() => sessions.delete(page));
  }
  return session;
}

/** DevTools gives binary values in standard base64; WebAuthn's JSON uses base64url. */
function toBase64url(base64: string): string {
  return Buffer.from(base64, 'base64').toString('base64url');
}

/** Adds a virtual security key to the page's tab; call before the page asks for a key. */
export async function addVirtualAuthenticator(page: Page, mode: VirtualAuthenticatorMode): Promise<VirtualAuthenticator> {
  const session = await webAuthnSession(page);
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', { options: { ...VIRTUAL_AUTHENTICATOR_OPTIONS[mode] } });
  return {
    authenticatorId,
    mode,
    async credentials() {
      const { credentials } = await session.send('WebAuthn.getCredentials', { authenticatorId });
      return credentials.map((c) => ({
        credentialId: toBase64url(c.credentialId),
        rpId: c.rpId,
        isResidentCredential: c.isResidentCredential,
        userHandle: c.userHandle ? toBase64url(c.userHandle) : undefined,
        signCount: c.signCount,
      }));
    },
    async setPresence(present) {
      await session.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: present });
    },
    async remove() {
      await session.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    },
  };
}
