import { describe, expect, it } from 'vitest';
import { relyingParty } from './relying-party.ts';

describe('relyingParty', () => {
  it('takes the RP ID from the host name and the origin from PUBLIC_URL', () => {
    expect(relyingParty(new URL('https://gatehouse.example.org'))).toEqual({
      rpID: 'gatehouse.example.org',
      rpName: 'Gatehouse',
      origin: 'https://gatehouse.example.org',
    });
  });

  it('keeps a port in the origin but never in the RP ID', () => {
    expect(relyingParty(new URL('http://localhost:3000'))).toEqual({ rpID: 'localhost', rpName: 'Gatehouse', origin: 'http://localhost:3000' });
    expect(relyingParty(new URL('https://gatehouse.example.org:8443/'))).toMatchObject({
      rpID: 'gatehouse.example.org',
      origin: 'https://gatehouse.example.org:8443',
    });
  });

  it('ignores the path, query and case of PUBLIC_URL, and a fully qualified name’s final dot', () => {
    expect(relyingParty(new URL('https://Gatehouse.Example.ORG/schools/?x=1'))).toMatchObject({
      rpID: 'gatehouse.example.org',
      origin: 'https://gatehouse.example.org',
    });
    expect(relyingParty(new URL('https://gatehouse.example.org.')).rpID).toBe('gatehouse.example.org');
  });

  it('drops the default port from the origin, as browsers do', () => {
    expect(relyingParty(new URL('https://gatehouse.example.org:443')).origin).toBe('https://gatehouse.example.org');
  });
});
