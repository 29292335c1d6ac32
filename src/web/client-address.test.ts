import { describe, expect, it } from 'vitest';
import { clientAddressFor } from './client-address.ts';

describe('the client address', () => {
  it('is the socket’s, whatever the header says, when no proxy is trusted', () => {
    const address = clientAddressFor({ hops: 0 });
    expect(address('198.51.100.1', '203.0.113.9')).toBe('198.51.100.1');
    expect(address(undefined, '203.0.113.9')).toBe('unknown');
  });

  it('is the entry that many hops from the right behind a number of proxies', () => {
    expect(clientAddressFor({ hops: 1 })('10.0.0.1', '203.0.113.66, 198.51.100.7')).toBe('198.51.100.7');
    expect(clientAddressFor({ hops: 2 })('10.0.0.1', '203.0.113.66, 198.51.100.7, 10.0.0.2')).toBe('198.51.100.7');
    expect(clientAddressFor({ hops: 1 })('10.0.0.1', undefined)).toBe('10.0.0.1');
  });

  describe('behind listed proxies', () => {
    const address = clientAddressFor({ proxies: ['10.0.0.0/8', '192.168.1.5', '2001:db8::/32', '::1'] });

    it('is the socket’s when the peer is not a listed proxy, whatever it writes', () => {
      expect(address('198.51.100.1', '203.0.113.9')).toBe('198.51.100.1');
      expect(address('192.168.1.6', '203.0.113.9, 10.0.0.1')).toBe('192.168.1.6');
      expect(address('2001:db9::1', '203.0.113.9')).toBe('2001:db9::1');
    });

    it('is the right-most entry that is not a listed proxy, walking from the peer', () => {
      expect(address('10.1.1.1', '198.51.100.7')).toBe('198.51.100.7');
      expect(address('192.168.1.5', '203.0.113.66, 198.51.100.7, 10.2.2.2')).toBe('198.51.100.7');
      expect(address('::1', '2001:db9::1, 2001:db8::5')).toBe('2001:db9::1');
    });

    it('matches IPv6 peers and entries against IPv6 ranges, and IPv4-mapped ones against IPv4 ranges', () => {
      expect(address('2001:db8::9', '2001:db9::7')).toBe('2001:db9::7');
      expect(address('::ffff:10.0.0.1', '198.51.100.7')).toBe('198.51.100.7');
    });

    it('is the left-most entry when every hop is a listed proxy', () => {
      expect(address('10.0.0.1', '10.0.0.3, 10.0.0.2')).toBe('10.0.0.3');
    });

    it('is the socket’s when the peer is a proxy and sends no header', () => {
      expect(address('10.0.0.1', undefined)).toBe('10.0.0.1');
    });

    it('is the socket’s when what a proxy passed on is not an address', () => {
      expect(address('10.0.0.1', '<script>')).toBe('10.0.0.1');
      expect(address('10.0.0.1', '198.51.100.7:443')).toBe('10.0.0.1');
    });

    it('is unknown with no socket at all, never the header', () => {
      expect(address(undefined, '198.51.100.7')).toBe('unknown');
    });
  });
});
