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
  /** The `WWW-Authenticate` challenge of a 401. */
  challenge: string;
}

export function describeProtectedResource(options: {
  mcpBaseUrl: string;
  authBaseUrl: string;
}): ProtectedResource {
  const resource = options.mcpBaseUrl.replace(/\/+$/, '');
  const url = new URL(resource);
  const metadataUrl = `${url.origin}/.well-known/oauth-protected-resource${url.pathname}`;
  return {
    resource,
    metadataUrl,
    metadata: {
      resource,
      authorization_servers: [options.authBaseUrl.replace(/\/+$/, '')],
      bearer_methods_supported: ['header'],
      resource_name: 'Backstage MCP',
    },
    challenge: `Bearer resource_metadata="${metadataUrl}"`,
  };
}
