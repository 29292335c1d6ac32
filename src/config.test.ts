import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const KEY = Buffer.alloc(32, 1).toString('base64');

describe('settings', () => {
  it('runs with no settings at all: port 3000 on loopback, embedded database in ./data, the OWASP argon2id floor', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.publicUrl.origin).toBe('http://localhost:3000');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe('./data');
    expect(c.argon2).toEqual({ memoryKiB: 19456, iterations: 2, parallelism: 1 });
    expect(c.demo).toBe(true);
    expect(c.secureCookies).toBe(false);
    expect(c.sessionDefaults).toEqual({ idleMinutes: 30, absoluteHours: 12 });
  });

  it('runs housekeeping every 10 minutes, keeping ended sessions and sent mail 30 days, the security log six years and the audit for ever', () => {
    expect(loadConfig({}).maintenance).toEqual({ intervalMinutes: 10, retentionDays: { sessions: 30, mail: 30, securityLog: 2192, audit: undefined } });
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '2192', MAINTENANCE_INTERVAL_MINUTES: '60' }).maintenance).toMatchObject({
      intervalMinutes: 60,
      retentionDays: { audit: 2192 },
    });
  });

  it('gives requests in flight 20 s at shutdown by default, and refuses a grace of none or of more than 10 minutes', () => {
    expect(loadConfig({}).shutdownGraceMs).toBe(20_000);
    expect(loadConfig({ SHUTDOWN_GRACE_SECONDS: '45' }).shutdownGraceMs).toBe(45_000);
    for (const bad of ['0', '601', 'soon']) expect(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: bad }), bad).toThrow(/SHUTDOWN_GRACE_SECONDS/);
  });

  it('serves metrics only with METRICS_PORT, on HOST unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({}).metrics).toBeUndefined();
    expect(loadConfig({ HOST: '0.0.0.0', METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(loadConfig({ HOST: '0.0.0.0', METRICS_PORT: '9464', METRICS_HOST: '10.0.0.7' }).metrics).toEqual({ port: 9464, host: '10.0.0.7' });
    expect(() => loadConfig({ METRICS_PORT: 'ninety' })).toThrow(/METRICS_PORT/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).databaseUrl).toBeUndefined();
  });

  it('turns on Secure, __Host- cookies whenever PUBLIC_URL is https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://gatehouse.example.org' }).secureCookies).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    [{ ARGON2_MEMORY_KIB: '4096' }, 'ARGON2_MEMORY_KIB'],
    [{ ARGON2_ITERATIONS: '1' }, 'ARGON2_ITERATIONS'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ DEMO: 'perhaps' }, 'DEMO'],
    [{ MAINTENANCE_INTERVAL_MINUTES: '0' }, 'MAINTENANCE_INTERVAL_MINUTES'],
    [{ SESSION_RETENTION_DAYS: 'a month' }, 'SESSION_RETENTION_DAYS'],
    [{ SECURITY_LOG_RETENTION_DAYS: '7' }, 'SECURITY_LOG_RETENTION_DAYS'],
    [{ AUDIT_RETENTION_DAYS: '30' }, 'AUDIT_RETENTION_DAYS'],
    [{ NODE_ENV: 'production' }, 'SECRET_KEY is required'],
  ])('stops start-up with a message naming the bad setting: %o', (env, named) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(named);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a number from 0 to 65,535'],
    [{ PORT: '70000' }, 'PORT must be a number from 0 to 65,535'],
    [{ PORT: '80.5' }, 'PORT must be a number from 0 to 65,535'],
    [{ DEMO: 'perhaps' }, 'DEMO must be true or false (or 1/0, yes/no, on/off)'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ PUBLIC_URL: 'gatehouse.example.org' }, 'PUBLIC_URL must be the address people use, such as https://gatehouse.example.org'],
    [{ SUPPORT_EMAIL: 'helpdesk' }, 'SUPPORT_EMAIL must be an email address, such as support@example.org'],
    [{ SUPPORT_PHONE: 'ring us' }, 'SUPPORT_PHONE must be a phone number, such as 0113 496 0000 or +44 113 496 0000'],
    [{ SUPPORT_URL: 'javascript:alert(1)' }, 'SUPPORT_URL must be a web address, such as https://help.example.org'],
  ])("says what a bad setting must be in words for people, not the validator's: %o", (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig(env)).not.toThrow(/expected|Invalid|Too (big|small)/);
  });

  it('carries the support contact people are shown, each part optional', () => {
    expect(loadConfig({}).support).toEqual({ email: undefined, phone: undefined, url: undefined });
    expect(loadConfig({ SUPPORT_EMAIL: 'help@example.org', SUPPORT_PHONE: '0113 496 0000', SUPPORT_URL: 'https://help.example.org' }).support).toEqual({
      email: 'help@example.org',
      phone: '0113 496 0000',
      url: 'https://help.example.org',
    });
  });

  it('never creates demo accounts in production unless asked', () => {
    const prod = { NODE_ENV: 'production', SECRET_KEY: KEY, PUBLIC_URL: 'https://g.example', SMTP_URL: 'smtps://mail.example' };
    expect(loadConfig(prod).demo).toBe(false);
    expect(loadConfig({ ...prod, DEMO: '1' }).demo).toBe(true);
  });

  it('reads TRUST_PROXY as a number of hops', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toEqual({ hops: 1 });
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toEqual({ hops: 0 });
    expect(loadConfig({}).trustProxy).toEqual({ hops: 0 });
  });

  it('reads TRUST_PROXY as a list of proxy addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,192.168.1.5,::1' }).trustProxy).toEqual({ proxies: ['10.0.0.0/8', '192.168.1.5', '::1'] });
    expect(loadConfig({ TRUST_PROXY: ' 2001:db8::/32 , loopback' }).trustProxy).toEqual({ proxies: ['2001:db8::/32', 'loopback'] });
  });

  it.each(['10.0.0.0/33', '10.0.0.0/8,proxy.example', '300.1.2.3', '10.0.0.0/8,', '::1/129', '10.0.0.0/x'])(
    'stops start-up naming TRUST_PROXY and the bad entry in %j',
    (value) => {
      const bad = value
        .split(',')
        .map((e) => e.trim())
        .find((e) => !['10.0.0.0/8'].includes(e))!;
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(`TRUST_PROXY has "${bad}", which is not a proxy address or CIDR range`);
    },
  );
});
