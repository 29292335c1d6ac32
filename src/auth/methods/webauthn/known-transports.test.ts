import { describe, expect, it } from 'vitest';
import { knownTransports } from './known-transports.ts';

describe('knownTransports', () => {
  it('keeps the transports WebAuthn defines, once each, in order', () => {
    expect(knownTransports(['usb', 'nfc', 'usb', 'hybrid', 'internal', 'ble', 'smart-card', 'cable'])).toEqual([
      'usb',
      'nfc',
      'hybrid',
      'internal',
      'ble',
      'smart-card',
      'cable',
    ]);
  });

  it('drops values it does not know, and treats nothing as none', () => {
    expect(knownTransports(['usb', 'carrier-pigeon', ''])).toEqual(['usb']);
    expect(knownTransports(null)).toEqual([]);
    expect(knownTransports(undefined)).toEqual([]);
  });
});
