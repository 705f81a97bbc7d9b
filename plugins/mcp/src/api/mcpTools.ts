import { ResponseError } from '@backstage/errors';

/** What the page shows of a tool from `tools/list`. */
export interface McpToolSummary {
  name: string;
  title?: string;
  description?: string;
  annotations?: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

/** The protocol version the page speaks: stateless, no initialize round trip. */
export const PAGE_PROTOCOL_VERSION = '2026-07-28';

const CLIENT_INFO = { name: 'backstage-mcp-page', version: '1.0.0' };

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The one JSON-RPC message of a response, sent as JSON or as an SSE stream. */
async function readMessage(response: Response): Promise<any> {
  const text = await response.text();
  if (text.trimStart().startsWith('{')) return JSON.parse(text);
  const data = text
    .split('\n')
    .filter(line => line.startsWith('data:'))
    .map(line => line.slice(5).trim())
    .find(line => line.startsWith('{'));
  if (!data) throw new Error('The MCP endpoint sent no JSON-RPC message');
  return JSON.parse(data);
}

/**
 * The tools the caller may use, as the endpoint lists them to an agent with
 * the same identity: the permission policy and kill switch already applied.
 * `fetch` must send the signed-in user's Backstage token (the fetchApi does).
 */
export async function listMcpTools(
  fetch: Fetch,
  mcpUrl: string,
): Promise<McpToolSummary[]> {
  const tools: McpToolSummary[] = [];
  let cursor: string | undefined;
  // Bounded: a misbehaving server that always sends a cursor cannot loop us.
  for (let page = 0; page < 50; page++) {
    const response = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': PAGE_PROTOCOL_VERSION,
        'Mcp-Method': 'tools/list',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: page + 1,
        method: 'tools/list',
        params: {
          ...(cursor ? { cursor } : {}),
          _meta: {
            'io.modelcontextprotocol/protocolVersion': PAGE_PROTOCOL_VERSION,
            'io.modelcontextprotocol/clientInfo': CLIENT_INFO,
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const message = await readMessage(response);
    if (message.error) {
      throw new Error(`MCP tools/list failed: ${message.error.message}`);
    }
    for (const tool of message.result.tools as McpToolSummary[]) {
      tools.push({
        name: tool.name,
        title: tool.title,
        description: tool.description,
        annotations: tool.annotations,
      });
    }
    cursor = message.result.nextCursor;
    if (!cursor) break;
  }
  return tools;
}
