// Who is asking: the socket's peer, or, behind trusted proxies (TRUST_PROXY), the address the
// nearest untrusted hop was seen at. proxy-addr (as express uses) parses X-Forwarded-For and
// matches addresses and CIDR ranges; it walks from the socket's peer leftwards, believing each
// entry only while the one nearer us is trusted, so a peer that is not a proxy is the client
// whatever it writes in the header.

import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config.ts';

export type ClientAddress = (socketAddress: string | undefined, forwardedFor: string | undefined) => string;

export function clientAddressFor(trust: TrustProxy): ClientAddress {
  if ('hops' in trust && trust.hops === 0) return (socketAddress) => socketAddress ?? 'unknown';
  // Hops: the peer (i = 0) and the next hops - 1 entries are proxies, as express counts them.
  const trusted = 'proxies' in trust ? proxyaddr.compile(trust.proxies) : (_address: string, i: number) => i < trust.hops;
  return (socketAddress, forwardedFor) => {
    const request = { socket: { remoteAddress: socketAddress }, headers: { 'x-forwarded-for': forwardedFor } } as unknown as IncomingMessage;
    const chosen = proxyaddr(request, trusted);
    // A proxy that passed on something that is no address (or no peer at all: app.request()).
    return chosen && isIP(chosen) ? chosen : (socketAddress ?? 'unknown');
  };
}
