// The part of a client's address that one throttling key covers. An IPv4 address is one key;
// an IPv6 address is its /64, the smallest network a provider hands one home, school or phone:
// a single machine can choose among 2^64 addresses of its /64 and would otherwise rotate
// through them, each a fresh count.
import ipaddr from 'ipaddr.js';

export function throttledAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  let address = ipaddr.parse(ip);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) address = address.toIPv4Address();
  if (address instanceof ipaddr.IPv4) return address.toString();
  return `${address.parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':')}::/64`;
}
