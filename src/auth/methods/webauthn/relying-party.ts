// Who the security keys are registered with: the relying party, from PUBLIC_URL and never from a
// request's Host header. Its ID is PUBLIC_URL's host name (a key registered under one name does
// not work under another), its origin PUBLIC_URL's origin (scheme, host and any port).

export interface RelyingParty {
  /** The host name: `gatehouse.example.org`, or `localhost` on a workstation. */
  rpID: string;
  /** What a browser or key may show as the name of the site. */
  rpName: 'Gatehouse';
  /** The origin every response must come from: `https://gatehouse.example.org`. */
  origin: string;
}

/**
 * The relying party of this PUBLIC_URL. Browsers refuse an IP address as an RP ID, so security
 * keys need PUBLIC_URL to name the host (`http://localhost:3000`, not `http://127.0.0.1:3000`);
 * they also need a secure context: https, or http only on localhost.
 */
export function relyingParty(publicUrl: URL): RelyingParty {
  // URL has already lower-cased the host; a fully qualified name's final dot is not part of an RP ID.
  return { rpID: publicUrl.hostname.replace(/\.$/, ''), rpName: 'Gatehouse', origin: publicUrl.origin };
}
