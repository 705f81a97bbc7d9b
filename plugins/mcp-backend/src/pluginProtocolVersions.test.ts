import { mockCredentials } from '@backstage/backend-test-utils';
import { startMcpTestBackend } from './__testUtils__/startMcpTestBackend';

const MODERN = '2026-07-28';
const clientInfo = { name: 'raw-test-client', version: '1.0.0' };

/** One JSON-RPC request as a client sends it, answered as JSON or a one-message SSE stream. */
async function post(
  mcpUrl: string,
  body: { method: string; params: object },
  protocolVersion?: string,
) {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      Authorization: mockCredentials.user.header(),
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(protocolVersion ? { 'MCP-Protocol-Version': protocolVersion } : {}),
      ...(protocolVersion === MODERN ? { 'Mcp-Method': body.method } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, ...body }),
  });
  const text = await response.text();
  const json = text.startsWith('{')
    ? text
    : text
        .split('\n')
        .find(line => line.startsWith('data: '))!
        .slice(6);
  return { status: response.status, message: JSON.parse(json) };
}

describe('protocol versions of the endpoint', () => {
  let mcpUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const started = await startMcpTestBackend();
    mcpUrl = started.mcpUrl;
    stop = () => started.backend.stop();
  }, 120_000);

  afterAll(() => stop?.());

  it('server/discover lists every version the endpoint serves, both eras', async () => {
    const { status, message } = await post(
      mcpUrl,
      {
        method: 'server/discover',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': MODERN,
            'io.modelcontextprotocol/clientInfo': clientInfo,
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      },
      MODERN,
    );
    expect(status).toBe(200);
    const versions: string[] = message.result.supportedVersions;
    expect(versions[0]).toBe(MODERN);
    expect(versions).toEqual(
      expect.arrayContaining([MODERN, '2025-11-25', '2025-06-18']),
    );
    expect(new Set(versions).size).toBe(versions.length);

    // Each listed 2025 version is served: initialize agrees to it.
    for (const version of versions.filter(v => v !== MODERN)) {
      const init = await post(mcpUrl, {
        method: 'initialize',
        params: { protocolVersion: version, capabilities: {}, clientInfo },
      });
      expect(init.message.result.protocolVersion).toBe(version);
    }
  });
});
