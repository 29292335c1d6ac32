import { describe, expect, it } from 'vitest';
import { throttledAddress } from './throttled-address.ts';

describe('throttledAddress', () => {
  it('keeps an IPv4 address whole', () => {
    expect(throttledAddress('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as one, however it is written', () => {
    const one = throttledAddress('2001:db8:1:2::1');
    expect(one).toBe('2001:db8:1:2::/64');
    expect(throttledAddress('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(one);
    expect(throttledAddress('2001:db8:1:3::1')).not.toBe(one);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address it maps', () => {
    expect(throttledAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('leaves anything that is not an address as it is', () => {
    expect(throttledAddress('unknown')).toBe('unknown');
  });
});
