import {
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';
import { connectModernClient, McpTestClient } from './mcpClients';

/**
 * An MCP client's OAuth state kept in memory, as a CLI agent keeps it in its
 * credential store: the official SDK's `auth()` drives discovery,
 * registration, PKCE, the code exchange and refreshes through it.
 */
export class InMemoryOAuthClient implements OAuthClientProvider {
  #client?: StoredOAuthClientInformation;
  #tokens?: StoredOAuthTokens;
  #codeVerifier?: string;
  #discovery?: OAuthDiscoveryState;
  #authorizationUrl?: URL;

  constructor(
    private readonly options: {
      clientName: string;
      /** The loopback callback the browser is sent back to. */
      redirectUrl: string;
      /**
       * The https URL of this client's metadata document: set, the client
       * uses Client ID Metadata Documents where the authorization server
       * supports them; unset, dynamic client registration.
       */
      clientMetadataUrl?: string;
    },
  ) {}

  get redirectUrl() {
    return this.options.redirectUrl;
  }

  get clientMetadataUrl() {
    return this.options.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.clientName,
      redirect_uris: [this.options.redirectUrl],
      // refresh_token makes the SDK ask for offline_access when the
      // authorization server offers it.
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: this.options.clientMetadataUrl
        ? 'none'
        : 'client_secret_basic',
    };
  }

  /** The metadata document a Client ID Metadata Documents client serves. */
  metadataDocument(): Record<string, unknown> {
    return {
      client_id: this.options.clientMetadataUrl,
      ...this.clientMetadata,
    };
  }

  clientInformation() {
    return this.#client;
  }

  saveClientInformation(client: StoredOAuthClientInformation) {
    this.#client = client;
  }

  tokens() {
    return this.#tokens;
  }

  saveTokens(tokens: StoredOAuthTokens) {
    this.#tokens = tokens;
  }

  /** Replaces the stored tokens, e.g. with an expired or revoked one. */
  replaceTokens(change: Partial<StoredOAuthTokens>) {
    this.#tokens = { ...this.#tokens!, ...change };
  }

  redirectToAuthorization(url: URL) {
    this.#authorizationUrl = url;
  }

  /** Where the SDK sent the user last; the test's browser goes there. */
  takeAuthorizationUrl(): URL {
    const url = this.#authorizationUrl;
    if (!url) throw new Error('The SDK did not ask for an authorization');
    this.#authorizationUrl = undefined;
    return url;
  }

  saveCodeVerifier(verifier: string) {
    this.#codeVerifier = verifier;
  }

  codeVerifier() {
    if (!this.#codeVerifier) throw new Error('No PKCE code verifier saved');
    return this.#codeVerifier;
  }

  discoveryState() {
    return this.#discovery;
  }

  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.#discovery = state;
  }

  invalidateCredentials(
    scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery',
  ) {
    if (scope === 'all' || scope === 'client') this.#client = undefined;
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this.#codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.#discovery = undefined;
  }
}

/**
 * Connects the 2026-era SDK client with OAuth, as an agent does on first
 * use: the connection is refused (401), the SDK discovers, registers and
 * builds the authorization URL, `authorize` takes the developer's browser
 * there and returns where it was sent back to, and the SDK exchanges the
 * code (PKCE) before connecting again. With stored tokens it connects at
 * once (refreshing them when the server refuses the access token).
 */
export async function connectWithOAuth(
  url: string,
  provider: InMemoryOAuthClient,
  options: {
    /** Sees every request of the flow (discovery, token, MCP). */
    fetch?: typeof fetch;
    clientName?: string;
    authorize(authorizationUrl: URL): Promise<URL>;
  },
): Promise<McpTestClient> {
  const transportOptions = { authProvider: provider, fetch: options.fetch };
  const connectOptions = { clientName: options.clientName };
  try {
    return await connectModernClient(url, transportOptions, connectOptions);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
  }
  const callback = await options.authorize(provider.takeAuthorizationUrl());
  const code = callback.searchParams.get('code');
  if (!code) {
    throw new Error(
      `The authorization server sent the browser back without a code: ${callback.searchParams.get(
        'error',
      )} ${callback.searchParams.get('error_description')}`,
    );
  }
  await new StreamableHTTPClientTransport(
    new URL(url),
    transportOptions,
  ).finishAuth(code);
  return connectModernClient(url, transportOptions, connectOptions);
}
