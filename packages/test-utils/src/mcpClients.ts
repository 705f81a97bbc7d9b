import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema as LegacyElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

/** The two protocol eras the endpoint must serve. */
export type ProtocolEra = '2025-11-25' | '2026-07-28';
export const PROTOCOL_ERAS: ProtocolEra[] = ['2025-11-25', '2026-07-28'];

export interface ToolCallOutcome {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: Array<{ type: string; text?: string }>;
}

/** A progress notification as the client received it. */
export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/** An elicitation request as the client received it (form or URL mode). */
export interface ElicitationRequest {
  mode?: 'form' | 'url';
  message: string;
  url?: string;
  requestedSchema?: Record<string, unknown>;
}

/** What the user answered to an elicitation request. */
export interface ElicitationAnswer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
}

export interface ConnectOptions {
  /**
   * Declares form and URL elicitation and answers requests with this
   * function, as a user at the client would.
   */
  onElicitation?: (request: ElicitationRequest) => Promise<ElicitationAnswer>;
}

export interface CallToolOptions {
  /** Asks for progress notifications and receives them. */
  onProgress?: (update: ProgressUpdate) => void;
  /** Request timeout, reset by each progress notification. */
  timeoutMs?: number;
}

/** The slice of an MCP client the tests use, the same for both SDKs. */
export interface McpTestClient {
  era: ProtocolEra;
  listTools(): Promise<Array<{ name: string; annotations?: Record<string, unknown> }>>;
  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: CallToolOptions,
  ): Promise<ToolCallOutcome>;
  close(): Promise<void>;
}

function requestOptions(options: CallToolOptions = {}) {
  return {
    ...(options.onProgress ? { onprogress: options.onProgress, resetTimeoutOnProgress: true } : {}),
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  };
}

const ELICITATION_CAPABILITY = { elicitation: { form: {}, url: {} } };

/**
 * Connects a real SDK client: the 1.x SDK for the 2025 era, the 2.x client
 * pinned to 2026-07-28 for the modern era.
 */
export async function connectMcpClient(
  era: ProtocolEra,
  url: string,
  headers: Record<string, string> = {},
  options: ConnectOptions = {},
): Promise<McpTestClient> {
  const { onElicitation } = options;
  const capabilities = onElicitation ? ELICITATION_CAPABILITY : {};
  if (era === '2025-11-25') {
    const client = new LegacyClient(
      { name: 'legacy-test-client', version: '1.0.0' },
      { capabilities },
    );
    if (onElicitation) {
      client.setRequestHandler(LegacyElicitRequestSchema, async request => ({
        ...(await onElicitation(request.params as ElicitationRequest)),
      }));
    }
    await client.connect(new LegacyTransport(new URL(url), { requestInit: { headers } }));
    return {
      era,
      listTools: async () => (await client.listTools()).tools,
      callTool: async (name, args = {}, callOptions) =>
        (await client.callTool(
          { name, arguments: args },
          undefined,
          requestOptions(callOptions),
        )) as ToolCallOutcome,
      close: () => client.close(),
    };
  }
  const client = new ModernClient(
    { name: 'modern-test-client', version: '2.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } }, capabilities },
  );
  if (onElicitation) {
    client.setRequestHandler('elicitation/create', async request => ({
      ...(await onElicitation(request.params as ElicitationRequest)),
    }));
  }
  await client.connect(new ModernTransport(new URL(url), { requestInit: { headers } }));
  return {
    era,
    listTools: async () => (await client.listTools()).tools,
    callTool: async (name, args = {}, callOptions) =>
      (await client.callTool({ name, arguments: args }, requestOptions(callOptions))) as ToolCallOutcome,
    close: () => client.close(),
  };
}
