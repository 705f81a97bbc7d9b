import { describeProtectedResource } from './protectedResource';

const resource = describeProtectedResource({
  mcpBaseUrl: 'https://portal.example.com/api/mcp/',
  authBaseUrl: 'https://portal.example.com/api/auth',
});
const metadataUrl =
  'https://portal.example.com/.well-known/oauth-protected-resource/api/mcp';

describe('the protected-resource description (MCP authorization 2026-07-28)', () => {
  it('lists the scope a client requests, without offline_access', () => {
    expect(resource.metadata).toEqual({
      resource: 'https://portal.example.com/api/mcp',
      authorization_servers: ['https://portal.example.com/api/auth'],
      scopes_supported: ['openid'],
      bearer_methods_supported: ['header'],
      resource_name: 'Backstage MCP',
    });
  });

  it('names the metadata and the scope in the 401 challenges', () => {
    expect(resource.challenge).toBe(
      `Bearer resource_metadata="${metadataUrl}", scope="openid"`,
    );
    expect(resource.invalidTokenChallenge).toBe(
      `Bearer resource_metadata="${metadataUrl}", scope="openid", error="invalid_token"`,
    );
  });

  it('builds the 403 insufficient_scope challenge with a header-safe description', () => {
    expect(
      resource.insufficientScopeChallenge(
        `Restricted to 'catalog' "quoted" \\ ü`,
      ),
    ).toBe(
      `Bearer error="insufficient_scope", scope="openid", resource_metadata="${metadataUrl}", error_description="Restricted to 'catalog'  quoted"`,
    );
  });
});
