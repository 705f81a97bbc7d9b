/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for the MCP endpoint, so
 * that MCP clients discover the Backstage auth backend as the authorization
 * server. URLs come from config (discovery), never from the request.
 */
export interface ProtectedResource {
  /** The MCP endpoint's public URL, e.g. https://portal.example.com/api/mcp */
  resource: string;
  /** Where RFC 9728 clients find the metadata document. */
  metadataUrl: string;
  metadata: Record<string, unknown>;
  /** The `WWW-Authenticate` challenge of a 401 without a token. */
  challenge: string;
  /** The `WWW-Authenticate` challenge of a 401 for a token that was rejected. */
  invalidTokenChallenge: string;
  /**
   * The `WWW-Authenticate` challenge of a 403 for a valid token that may not
   * be used here (RFC 6750 `insufficient_scope`, MCP step-up authorization).
   */
  insufficientScopeChallenge(description: string): string;
}

/**
 * The scopes an MCP client asks Backstage's auth backend for. Its access
 * tokens carry no scope claim: each one is the user's full Backstage
 * identity, and the permission framework decides what every tool may do, so
 * the only scope that matters to this resource is signing in (`openid`).
 * `offline_access` only asks for a refresh token, which the MCP
 * authorization spec keeps out of a resource's scopes; clients add it
 * themselves from the authorization server's metadata.
 */
export const MCP_OAUTH_SCOPES: readonly string[] = ['openid'];

/**
 * RFC 6750 §3 allows only these characters in `error_description`; others
 * (quotes, backslashes, non-ASCII) would break the header's quoting.
 */
function headerSafe(text: string): string {
  return text
    .replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, ' ')
    .slice(0, 300)
    .trim();
}

export function describeProtectedResource(options: {
  mcpBaseUrl: string;
  authBaseUrl: string;
}): ProtectedResource {
  const resource = options.mcpBaseUrl.replace(/\/+$/, '');
  const url = new URL(resource);
  const metadataUrl = `${url.origin}/.well-known/oauth-protected-resource${url.pathname}`;
  const scope = MCP_OAUTH_SCOPES.join(' ');
  const challenge = `Bearer resource_metadata="${metadataUrl}", scope="${scope}"`;
  return {
    resource,
    metadataUrl,
    metadata: {
      resource,
      authorization_servers: [options.authBaseUrl.replace(/\/+$/, '')],
      scopes_supported: [...MCP_OAUTH_SCOPES],
      bearer_methods_supported: ['header'],
      resource_name: 'Backstage MCP',
    },
    challenge,
    invalidTokenChallenge: `${challenge}, error="invalid_token"`,
    insufficientScopeChallenge: description =>
      `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${metadataUrl}", error_description="${headerSafe(
        description,
      )}"`,
  };
}
