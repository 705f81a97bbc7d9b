import { connectSnippets, TOKEN_VARIABLE } from './snippets';

const URL = 'https://portal.example.com/api/mcp';

describe('connectSnippets', () => {
  it('configures each client for OAuth with the URL and no secret', () => {
    const snippets = connectSnippets(URL, 'oauth');
    expect(snippets.map(s => s.id)).toEqual([
      'claude-code',
      'cursor',
      'vscode',
      'gemini-cli',
    ]);
    const [claude, cursor, vscode, gemini] = snippets;
    expect(claude.text).toBe(
      'claude mcp add --transport http backstage https://portal.example.com/api/mcp',
    );
    expect(JSON.parse(cursor.text)).toEqual({
      mcpServers: { backstage: { url: URL } },
    });
    expect(JSON.parse(vscode.text)).toEqual({
      servers: { backstage: { type: 'http', url: URL } },
    });
    expect(JSON.parse(gemini.text)).toEqual({
      mcpServers: { backstage: { httpUrl: URL } },
    });
    for (const snippet of snippets) {
      expect(snippet.text).not.toMatch(/Authorization|TOKEN|input:/);
    }
  });

  it('sends a static token read from the environment (VS Code: a prompted input)', () => {
    const [claude, cursor, vscode, gemini] = connectSnippets(URL, 'token');
    expect(claude.text).toBe(
      `claude mcp add --transport http backstage ${URL} --header "Authorization: Bearer \${${TOKEN_VARIABLE}}"`,
    );
    expect(JSON.parse(cursor.text).mcpServers.backstage).toEqual({
      url: URL,
      headers: { Authorization: 'Bearer ${env:BACKSTAGE_MCP_TOKEN}' },
    });
    const vscodeConfig = JSON.parse(vscode.text);
    expect(vscodeConfig.servers.backstage.headers).toEqual({
      Authorization: 'Bearer ${input:backstage-mcp-token}',
    });
    expect(vscodeConfig.inputs).toEqual([
      expect.objectContaining({
        type: 'promptString',
        id: 'backstage-mcp-token',
        password: true,
      }),
    ]);
    expect(JSON.parse(gemini.text).mcpServers.backstage).toEqual({
      httpUrl: URL,
      headers: { Authorization: 'Bearer $BACKSTAGE_MCP_TOKEN' },
    });
  });
});
