import { describe, expect, it } from 'vitest';
import { publicUrlForCommand } from './public-url.ts';

const localhost = new URL('http://localhost:3000');
const server = new URL('https://gatehouse.example.org');

describe("the command's public address", () => {
  it('is PUBLIC_URL when set and the same as the server’s, with nothing to say', () => {
    expect(publicUrlForCommand({ publicUrlSet: true, publicUrl: server, nodeEnv: 'production' }, server)).toEqual({ publicUrl: server });
  });

  it("is the server's recorded address when PUBLIC_URL is unset", () => {
    expect(publicUrlForCommand({ publicUrlSet: false, publicUrl: localhost, nodeEnv: 'test' }, server)).toEqual({ publicUrl: server });
  });

  it('warns outside development when neither is known, since its emails would point at localhost', () => {
    const chosen = publicUrlForCommand({ publicUrlSet: false, publicUrl: localhost, nodeEnv: 'test' }, undefined);
    expect(chosen.publicUrl).toBe(localhost);
    expect(chosen.warning).toMatch(/^PUBLIC_URL is not set and the server has not recorded its address: emails link to http:\/\/localhost:3000/);
    expect(publicUrlForCommand({ publicUrlSet: false, publicUrl: localhost, nodeEnv: 'development' }, undefined)).toEqual({ publicUrl: localhost });
  });
});
