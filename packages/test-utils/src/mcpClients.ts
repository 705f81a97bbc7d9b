import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/** The two protocol eras the endpoint must serve. */
export type ProtocolEra = '2025-11-25' | '2026-07-28';
export const PROTOCOL_ERAS: ProtocolEra[] = ['2025-11-25', '2026-07-28'];

export interface ToolCallOutcome {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: Array<{ type: string; text?: string }>;
}

/** The slice of an MCP client the tests use, the same for both SDKs. */
export interface McpTestClient {
  era: ProtocolEra;
  listTools(): Promise<Array<{ name: string; annotations?: Record<string, unknown> }>>;
  callTool(name: string, args?: Record<string, unknown>): Promise<ToolCallOutcome>;
  close(): Promise<void>;
}

/**
 * Connects a real SDK client: the 1.x SDK for the 2025 era, the 2.x client
 * pinned to 2026-07-28 for the modern era.
 */
export async function connectMcpClient(
  era: ProtocolEra,
  url: string,
  headers: Record<string, string> = {},
): Promise<McpTestClient> {
  if (era === '2025-11-25') {
    const client = new LegacyClient({ name: 'legacy-test-client', version: '1.0.0' });
    await client.connect(new LegacyTransport(new URL(url), { requestInit: { headers } }));
    return {
      era,
      listTools: async () => (await client.listTools()).tools,
      callTool: async (name, args = {}) =>
        (await client.callTool({ name, arguments: args })) as ToolCallOutcome,
      close: () => client.close(),
    };
  }
  const client = new ModernClient(
    { name: 'modern-test-client', version: '2.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  await client.connect(new ModernTransport(new URL(url), { requestInit: { headers } }));
  return {
    era,
    listTools: async () => (await client.listTools()).tools,
    callTool: async (name, args = {}) =>
      (await client.callTool({ name, arguments: args })) as ToolCallOutcome,
    close: () => client.close(),
  };
}
