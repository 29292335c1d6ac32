// A school system's side of a code flow, for the benchmarks: its authorization request with
// PKCE, and the code it is sent back with exchanged for tokens (openid-client, as the tests use).
import * as oidc from 'openid-client';

export interface AuthorizationRequest {
  url: URL;
  /** The code sent back to the redirect URI exchanged for tokens, PKCE and state checked. */
  exchange(callback: URL): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers>;
}

export async function authorizationRequest(rp: oidc.Configuration, redirectUri: string): Promise<AuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(rp, {
    redirect_uri: redirectUri,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  });
  return { url, exchange: (callback) => oidc.authorizationCodeGrant(rp, callback, { pkceCodeVerifier: verifier, expectedState: state }) };
}
