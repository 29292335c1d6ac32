// A school system as the provider sees it: the school's registered integration (Admin >
// Integrations, `gatehouse client add`), read fresh on every request, so that one disabled,
// deleted or given a new secret at any instance stops working at once. What each request
// repeats is one read by the unique client id and the opening of its secret (microseconds):
// oidc-provider keeps the last 100 clients it built and schema-checked, each under a hash of
// this metadata, and checks one again only when it changes. Every client is confidential, uses the
// code flow with PKCE (provider.ts requires it) and belongs to one school.
import type { ClientMetadata } from 'oidc-provider';
import type { ProviderClient } from '../directory/integrations.ts';

export type FindClient = (clientId: string) => Promise<ProviderClient | null>;

/** What oidc-provider is told about an integration; nothing for one disabled. */
export function clientMetadata(client: ProviderClient): ClientMetadata | undefined {
  if (client.disabledAt) return undefined;
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    response_types: ['code'],
    grant_types: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'RS256',
    ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
  };
}
