/** How the agent authenticates: OAuth through the portal, or a static token. */
export type ConnectAuth = 'oauth' | 'token';

/** A ready-to-paste configuration of one client. */
export interface ConnectSnippet {
  id: 'claude-code' | 'cursor' | 'vscode' | 'gemini-cli';
  client: string;
  /** Where it goes: a terminal or a file. */
  where: string;
  text: string;
}

/** The server's name in every client's configuration. */
export const SERVER_NAME = 'backstage';

/** The environment variable that holds a static token in the snippets. */
export const TOKEN_VARIABLE = 'BACKSTAGE_MCP_TOKEN';

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * Each client's configuration for the MCP endpoint at `mcpUrl`. With OAuth
 * the client finds the portal's sign-in through the endpoint's 401 challenge,
 * so the configuration holds no secret; with a static token, each names an
 * environment variable (VS Code: a prompted input, which it stores encrypted)
 * rather than the token itself.
 */
export function connectSnippets(
  mcpUrl: string,
  auth: ConnectAuth,
): ConnectSnippet[] {
  const token = auth === 'token';
  return [
    {
      id: 'claude-code',
      client: 'Claude Code',
      where: 'Run in a terminal',
      text: token
        ? `claude mcp add --transport http ${SERVER_NAME} ${mcpUrl} --header "Authorization: Bearer \${${TOKEN_VARIABLE}}"`
        : `claude mcp add --transport http ${SERVER_NAME} ${mcpUrl}`,
    },
    {
      id: 'cursor',
      client: 'Cursor',
      where: '~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
      text: json({
        mcpServers: {
          [SERVER_NAME]: {
            url: mcpUrl,
            ...(token
              ? {
                  headers: {
                    Authorization: `Bearer \${env:${TOKEN_VARIABLE}}`,
                  },
                }
              : {}),
          },
        },
      }),
    },
    {
      id: 'vscode',
      client: 'VS Code',
      where: '.vscode/mcp.json',
      text: json({
        ...(token
          ? {
              inputs: [
                {
                  type: 'promptString',
                  id: 'backstage-mcp-token',
                  description: 'Backstage MCP token',
                  password: true,
                },
              ],
            }
          : {}),
        servers: {
          [SERVER_NAME]: {
            type: 'http',
            url: mcpUrl,
            ...(token
              ? {
                  headers: {
                    Authorization: 'Bearer ${input:backstage-mcp-token}',
                  },
                }
              : {}),
          },
        },
      }),
    },
    {
      id: 'gemini-cli',
      client: 'Gemini CLI',
      where: '~/.gemini/settings.json',
      text: json({
        mcpServers: {
          [SERVER_NAME]: {
            httpUrl: mcpUrl,
            ...(token
              ? {
                  headers: { Authorization: `Bearer $${TOKEN_VARIABLE}` },
                }
              : {}),
          },
        },
      }),
    },
  ];
}
