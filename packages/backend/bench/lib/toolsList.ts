/*
 * What a `tools/list` costs a client: bytes on the wire, and the part of it
 * a model reads when the client hands the tools to it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';

export interface ToolsListStats {
  endpoint: string;
  tools: number;
  /** The HTTP response body as sent, gzip-compressed when the server compressed it. */
  wireBytes: number;
  contentEncoding: string;
  /** Its Cache-Control: `no-transform` keeps the backend's compression middleware off. */
  cacheControl: string;
  /** The response body after decompression (SSE framing included). */
  bodyBytes: number;
  /** Sum over tools of the JSON of `{ name, description, inputSchema }`. */
  modelVisibleBytes: number;
  /** Sum over tools of the JSON of the whole definition (output schema, annotations, title...). */
  definitionBytes: number;
  largestDescription: { tool: string; chars: number };
  descriptionChars: number;
  /** {@link sdkListToolsP50Ms} */
  sdkListToolsP50Ms: number;
}

interface Tool {
  name: string;
  description?: string;
  inputSchema: unknown;
}

/** A POST with `Accept-Encoding: gzip`, as Node's fetch and most agents send it. */
function post(
  url: string,
  token: string,
  body: string,
): Promise<{ raw: Buffer; encoding: string; cacheControl: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
          'Accept-Encoding': 'gzip',
          'MCP-Protocol-Version': '2025-11-25',
        },
      },
      response => {
        const chunks: Buffer[] = [];
        response.on('data', chunk => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) {
            reject(new Error(`tools/list at ${url}: ${response.statusCode}`));
            return;
          }
          resolve({
            raw: Buffer.concat(chunks),
            encoding: String(
              response.headers['content-encoding'] ?? 'identity',
            ),
            cacheControl: String(response.headers['cache-control'] ?? ''),
          });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The JSON-RPC message in a plain JSON body or in the first SSE `data:` line. */
function jsonRpcMessage(body: string) {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed);
  const line = body.split('\n').find(l => l.startsWith('data: '));
  if (!line) throw new Error(`No JSON-RPC message in: ${body.slice(0, 200)}`);
  return JSON.parse(line.slice('data: '.length));
}

export async function toolsListStats(
  endpoint: string,
  url: string,
  token: string,
): Promise<ToolsListStats> {
  const { raw, encoding, cacheControl } = await post(
    url,
    token,
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  );
  const body = (encoding === 'gzip' ? zlib.gunzipSync(raw) : raw).toString(
    'utf8',
  );
  const tools: Tool[] = jsonRpcMessage(body).result.tools;
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  let largestDescription = { tool: '', chars: 0 };
  for (const tool of tools) {
    const chars = (tool.description ?? '').length;
    if (chars > largestDescription.chars)
      largestDescription = { tool: tool.name, chars };
  }
  return {
    endpoint,
    sdkListToolsP50Ms: await sdkListToolsP50Ms(url, token),
    tools: tools.length,
    wireBytes: raw.length,
    contentEncoding: encoding,
    cacheControl,
    bodyBytes: Buffer.byteLength(body),
    modelVisibleBytes: tools.reduce(
      (sum, t) =>
        sum +
        bytes({
          name: t.name,
          description: t.description,
          inputSchema: t.inputSchema,
        }),
      0,
    ),
    definitionBytes: tools.reduce((sum, t) => sum + bytes(t), 0),
    largestDescription,
    descriptionChars: tools.reduce(
      (sum, t) => sum + (t.description ?? '').length,
      0,
    ),
  };
}

/**
 * p50 of an MCP SDK 1.x client's `listTools()` over a connected session:
 * the request, the response's validation, and the validator the client
 * compiles for every output schema, which is what a client pays on every
 * listing.
 */
export async function sdkListToolsP50Ms(
  url: string,
  token: string,
  iterations = 30,
): Promise<number> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  try {
    for (let i = 0; i < 5; i++) await client.listTools();
    const times: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const started = performance.now();
      await client.listTools();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    await client.close();
  }
}
