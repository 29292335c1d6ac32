// A school system as the provider sees it: the school's registered integration (Admin >
// Integrations, `gatehouse client add`). A whole sign-in asks for it at every step (the
// request, Gatehouse's pages, the code, the token), so each instance keeps what it read
// (ClientCache) and forgets it all when any system changes: a wake-up from the change's commit
// (directory/integrations.ts), so one disabled, deleted or given a new secret at any instance
// stops working there too; and after a minute regardless, should a wake-up be missed.
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

/**
 * The systems this instance has read, each kept at most `keepMs`. Unknown client ids are not
 * kept (anyone may send one). `forget` starts a new generation: a read begun before it is
 * answered but not kept, so nothing read before a change outlives the change's wake-up.
 */
export class ClientCache {
  private readonly kept = new Map<string, { client: Promise<ProviderClient | null>; until: number; generation: number }>();
  private generation = 0;

  constructor(
    private readonly read: FindClient,
    private readonly keepMs: number,
  ) {}

  readonly find: FindClient = (clientId) => {
    const now = Date.now();
    const hit = this.kept.get(clientId);
    if (hit && hit.until > now && hit.generation === this.generation) return hit.client;
    const entry = { client: this.read(clientId), until: now + this.keepMs, generation: this.generation };
    this.kept.set(clientId, entry);
    const drop = () => {
      if (this.kept.get(clientId) === entry) this.kept.delete(clientId);
    };
    entry.client.then((client) => client ?? drop(), drop);
    return entry.client;
  };

  forget(): void {
    this.generation++;
    this.kept.clear();
  }
}
