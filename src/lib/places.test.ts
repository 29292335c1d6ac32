import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { DB_IP_ATTRIBUTION, dbIpCityFiles, describePlace, ON_THIS_NETWORK, Places, UNKNOWN_PLACE } from './places.ts';

const log = pino({ level: 'silent' });

describe('the approximate place of an address', () => {
  // No .mmdb writer is installed: a few addresses whose place DB-IP's installed database knows
  // (addresses of UK and German networks; the database changes monthly, but these blocks not often).
  const places = new Places(dbIpCityFiles(), log);

  it("reads DB-IP's city database, IPv4 and IPv6, as a town and its region", async () => {
    expect(await places.placeOf('81.2.69.142')).toBe('near London, England');
    expect(await places.placeOf('212.219.0.1')).toBe('near Swindon, England');
    expect(await places.placeOf('::ffff:81.2.69.142')).toBe('near London, England');
    expect(await places.placeOf('2a00:1450:4009:81f::200e')).toBe('near London, England');
    expect(await places.placeOf('2.24.0.1')).toBe('near Dusseldorf, North Rhine-Westphalia, Germany');
    expect(places.attribution).toEqual(DB_IP_ATTRIBUTION);
  });

  it('says "on this network" for loopback and private addresses, and "unknown place" for what it cannot place', async () => {
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', '192.168.0.10', '172.20.0.5', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1'])
      expect(await places.placeOf(ip)).toBe(ON_THIS_NETWORK);
    for (const ip of ['not an address', '', '999.1.1.1']) expect(await places.placeOf(ip)).toBe(UNKNOWN_PLACE);
  });

  it('without a database (GEOIP_DB=off), or with one it cannot read, every public address is an unknown place', async () => {
    expect(await new Places([], log, null).placeOf('81.2.69.142')).toBe(UNKNOWN_PLACE);
    expect(await new Places(['/nonexistent/city.mmdb'], log).placeOf('81.2.69.142')).toBe(UNKNOWN_PLACE);
  });

  it("words MaxMind's record shape the same way, and a country alone as 'in'", () => {
    expect(describePlace({ city: { names: { en: 'Leeds' } }, subdivisions: [{ names: { en: 'England' } }], country: { iso_code: 'GB' } })).toBe(
      'near Leeds, England',
    );
    expect(describePlace({ country_code: 'FR' })).toBe('in France');
    expect(describePlace({})).toBe(UNKNOWN_PLACE);
  });
});
