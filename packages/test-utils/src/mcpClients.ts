import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
  type StreamableHTTPClientTransportOptions,
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

/** A resource as resources/list shows it. */
export interface ListedResource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
}

/** What completion/complete completes: a template variable or a prompt argument. */
export type CompletionRef =
  | { type: 'ref/resource'; uri: string }
  | { type: 'ref/prompt'; name: string };

/** A prompt message as prompts/get returns it. */
export interface PromptMessageOutcome {
  role: string;
  content: {
    type: string;
    text?: string;
    resource?: { uri: string; mimeType?: string; text?: string };
  };
}

/** The slice of an MCP client the tests use, the same for both SDKs. */
export interface McpTestClient {
  era: ProtocolEra;
  listTools(): Promise<
    Array<{ name: string; annotations?: Record<string, unknown> }>
  >;
  callTool(
    name: string,
    args?: Record<string, unknown>,
    options?: CallToolOptions,
  ): Promise<ToolCallOutcome>;
  listResources(
    cursor?: string,
  ): Promise<{ resources: ListedResource[]; nextCursor?: string }>;
  listResourceTemplates(): Promise<
    Array<{ uriTemplate: string; name: string; mimeType?: string }>
  >;
  readResource(
    uri: string,
  ): Promise<Array<{ uri: string; mimeType?: string; text?: string }>>;
  complete(
    ref: CompletionRef,
    argument: { name: string; value: string },
    contextArguments?: Record<string, string>,
  ): Promise<{ values: string[]; total?: number; hasMore?: boolean }>;
  listPrompts(): Promise<
    Array<{
      name: string;
      arguments?: Array<{ name: string; required?: boolean }>;
    }>
  >;
  getPrompt(
    name: string,
    args?: Record<string, string>,
  ): Promise<{ description?: string; messages: PromptMessageOutcome[] }>;
  close(): Promise<void>;
}

/**
 * The methods both SDK clients have under the same names; their exact
 * request and result types differ per SDK, hence the loose typing.
 */
interface ContentClient {
  listResources(params?: { cursor?: string }): Promise<any>;
  listResourceTemplates(): Promise<any>;
  readResource(params: { uri: string }): Promise<any>;
  complete(params: any): Promise<any>;
  listPrompts(): Promise<any>;
  getPrompt(params: {
    name: string;
    arguments?: Record<string, string>;
  }): Promise<any>;
}

function contentMethods(
  client: ContentClient,
  listResourcesPage: (cursor?: string) => Promise<any> = cursor =>
    client.listResources(cursor ? { cursor } : undefined),
) {
  return {
    listResources: async (cursor?: string) => {
      const { resources, nextCursor } = await listResourcesPage(cursor);
      return { resources, nextCursor };
    },
    listResourceTemplates: async () =>
      (await client.listResourceTemplates()).resourceTemplates,
    readResource: async (uri: string) =>
      (await client.readResource({ uri })).contents,
    complete: async (
      ref: CompletionRef,
      argument: { name: string; value: string },
      contextArguments?: Record<string, string>,
    ) =>
      (
        await client.complete({
          ref,
          argument,
          ...(contextArguments
            ? { context: { arguments: contextArguments } }
            : {}),
        })
      ).completion,
    listPrompts: async () => (await client.listPrompts()).prompts,
    getPrompt: async (name: string, args?: Record<string, string>) => {
      const { description, messages } = await client.getPrompt({
        name,
        arguments: args,
      });
      return { description, messages };
    },
  };
}

function requestOptions(options: CallToolOptions = {}) {
  return {
    ...(options.onProgress
      ? { onprogress: options.onProgress, resetTimeoutOnProgress: true }
      : {}),
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
    await client.connect(
      new LegacyTransport(new URL(url), { requestInit: { headers } }),
    );
    return {
      era,
      listTools: async () => (await client.listTools()).tools,
      callTool: async (name, args = {}, callOptions) =>
        (await client.callTool(
          { name, arguments: args },
          undefined,
          requestOptions(callOptions),
        )) as ToolCallOutcome,
      ...contentMethods(client as unknown as ContentClient),
      close: () => client.close(),
    };
  }
  return connectModernClient(url, { requestInit: { headers } }, options);
}

/**
 * Connects the 2.x client pinned to 2026-07-28 with the given transport
 * options (headers, or an OAuth provider and the fetch it uses).
 */
export async function connectModernClient(
  url: string,
  transportOptions: StreamableHTTPClientTransportOptions,
  options: ConnectOptions & { clientName?: string } = {},
): Promise<McpTestClient> {
  const { onElicitation } = options;
  const capabilities = onElicitation ? ELICITATION_CAPABILITY : {};
  const era: ProtocolEra = '2026-07-28';
  const client = new ModernClient(
    { name: options.clientName ?? 'modern-test-client', version: '2.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } }, capabilities },
  );
  if (onElicitation) {
    client.setRequestHandler('elicitation/create', async request => ({
      ...(await onElicitation(request.params as ElicitationRequest)),
    }));
  }
  await client.connect(new ModernTransport(new URL(url), transportOptions));
  return {
    era,
    listTools: async () => (await client.listTools()).tools,
    callTool: async (name, args = {}, callOptions) =>
      (await client.callTool(
        { name, arguments: args },
        requestOptions(callOptions),
      )) as ToolCallOutcome,
    // Without a cursor the 2.x client walks every page itself; tests want
    // the server's raw first page.
    ...contentMethods(client as unknown as ContentClient, cursor =>
      client.request({
        method: 'resources/list',
        params: cursor ? { cursor } : {},
      }),
    ),
    close: () => client.close(),
  };
}
