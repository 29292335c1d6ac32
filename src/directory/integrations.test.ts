import { describe, expect, it } from 'vitest';
import { checkIntegrationForm, linesOf, whyNotSystemAddress } from './integrations.ts';

describe('a system address (redirect URI, back-channel logout URI)', () => {
  it.each([
    'https://records.example/callback',
    'https://records.example:8443/oidc/callback?tenant=north',
    'http://localhost:3000/callback',
    'http://records.localhost/callback',
    'http://127.0.0.1:8080/cb',
    'http://[::1]:8080/cb',
  ])('takes %s', (address) => {
    expect(whyNotSystemAddress(address, 'redirect URI')).toBeUndefined();
  });

  it.each([
    ['http://records.example/callback', /starts with https:\/\//],
    ['http://127.0.0.1.evil.example/cb', /starts with https:\/\//],
    ['javascript:alert(1)', /starts with https:\/\//],
    ['com.example.app:/callback', /starts with https:\/\//],
    ['/callback', /full address/],
    ['records.example/callback', /full address/],
    ['https://records.example/callback#done', /fragment/],
    ['https://records.example/callback#', /fragment/],
    ['https://user:pw@records.example/callback', /user name or password/],
    ['https://records.example/call back', /spaces/],
    ['https://records.example/\u202Ecb', /invisible/],
    [`https://records.example/${'a'.repeat(2000)}`, /at most 2000 characters/],
  ])('refuses %s', (address, why) => {
    expect(whyNotSystemAddress(address, 'redirect URI')).toMatch(why);
  });
});

describe('the form to register a system', () => {
  const form = { name: 'Records', redirectUris: ['https://records.example/cb'] };

  it('keeps the addresses as typed, trimmed and once each, and no back-channel address as null', () => {
    const checked = checkIntegrationForm({
      ...form,
      redirectUris: [' https://records.example/cb ', 'https://records.example/cb', 'https://Records.example/b'],
    });
    expect(checked).toEqual({
      ok: true,
      value: {
        name: 'Records',
        redirectUris: ['https://records.example/cb', 'https://Records.example/b'],
        postLogoutRedirectUris: [],
        backchannelLogoutUri: null,
      },
    });
  });

  it('needs a name, in plain text', () => {
    expect(checkIntegrationForm({ ...form, name: '  ' })).toMatchObject({ ok: false, kind: 'invalid', fields: { name: 'Enter the name of the system' } });
    expect(checkIntegrationForm({ ...form, name: undefined })).toMatchObject({ ok: false, fields: { name: 'Enter the name of the system' } });
    expect(checkIntegrationForm({ ...form, name: 'Rec\u202Eords' })).toMatchObject({ ok: false, fields: { name: expect.stringMatching(/invisible/) } });
    expect(checkIntegrationForm({ ...form, name: 'x'.repeat(101) })).toMatchObject({ ok: false, fields: { name: expect.stringMatching(/at most 100/) } });
  });

  it('needs at least one redirect URI, each of them good', () => {
    expect(checkIntegrationForm({ ...form, redirectUris: [] })).toMatchObject({ ok: false, fields: { redirect_uris: expect.stringMatching(/at least one/) } });
    expect(checkIntegrationForm({ ...form, redirectUris: ['', ' '] })).toMatchObject({
      ok: false,
      fields: { redirect_uris: expect.stringMatching(/at least one/) },
    });
    expect(checkIntegrationForm({ ...form, redirectUris: ['https://records.example/cb', 'http://records.example/cb'] })).toMatchObject({
      ok: false,
      message: 'A redirect URI starts with https:// (http:// only for localhost): http://records.example/cb',
      fields: { redirect_uris: expect.any(String) },
    });
    const many = Array.from({ length: 21 }, (_, i) => `https://records.example/cb${i}`);
    expect(checkIntegrationForm({ ...form, redirectUris: many })).toMatchObject({ ok: false, fields: { redirect_uris: expect.stringMatching(/at most 20/) } });
  });

  it('checks the back-channel logout URI and sign-out return addresses the same way', () => {
    expect(checkIntegrationForm({ ...form, backchannelLogoutUri: 'https://records.example/logout#x' })).toMatchObject({
      ok: false,
      fields: { backchannel_logout_uri: expect.stringMatching(/^A back-channel logout URI cannot contain a fragment/) },
    });
    expect(checkIntegrationForm({ ...form, postLogoutRedirectUris: ['ftp://records.example/'] })).toMatchObject({
      ok: false,
      fields: { post_logout_redirect_uris: expect.stringMatching(/^A sign-out return address starts with https/) },
    });
    expect(checkIntegrationForm({ ...form, backchannelLogoutUri: ' https://records.example/backchannel ' })).toMatchObject({
      ok: true,
      value: { backchannelLogoutUri: 'https://records.example/backchannel' },
    });
  });
});

describe('one address per line', () => {
  it('drops blank lines and spaces around each line, whatever the line ends', () => {
    expect(linesOf(' https://a.example/cb \r\n\r\nhttps://b.example/cb\n  \n')).toEqual(['https://a.example/cb', 'https://b.example/cb']);
    expect(linesOf(undefined)).toEqual([]);
  });
});
