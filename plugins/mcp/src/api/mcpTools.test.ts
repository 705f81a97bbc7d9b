import { listMcpTools, PAGE_PROTOCOL_VERSION } from './mcpTools';

const URL = 'https://portal.example.com/api/mcp';

function jsonRpc(result: unknown, asSse = false) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result });
  return new Response(asSse ? `event: message\ndata: ${body}\n\n` : body, {
    status: 200,
    headers: {
      'Content-Type': asSse ? 'text/event-stream' : 'application/json',
    },
  });
}

describe('listMcpTools', () => {
  it('posts tools/list statelessly and follows the cursor across pages, JSON or SSE', async () => {
    const fetch = jest
      .fn()
      .mockResolvedValueOnce(
        jsonRpc({
          tools: [
            {
              name: 'whoami',
              title: 'Who am I',
              description: 'Who you act as.',
              annotations: { readOnlyHint: true },
              inputSchema: { type: 'object' },
            },
          ],
          nextCursor: 'page-2',
        }),
      )
      .mockResolvedValueOnce(
        jsonRpc({ tools: [{ name: 'catalog_search' }] }, true),
      );

    const tools = await listMcpTools(fetch, URL);

    expect(tools).toEqual([
      {
        name: 'whoami',
        title: 'Who am I',
        description: 'Who you act as.',
        annotations: { readOnlyHint: true },
      },
      { name: 'catalog_search' },
    ]);
    expect(fetch).toHaveBeenCalledTimes(2);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(URL);
    expect(init.method).toBe('POST');
    expect(init.headers).toMatchObject({
      'MCP-Protocol-Version': PAGE_PROTOCOL_VERSION,
      'Mcp-Method': 'tools/list',
      Accept: 'application/json, text/event-stream',
    });
    expect(JSON.parse(init.body)).toMatchObject({
      method: 'tools/list',
      params: {
        _meta: {
          'io.modelcontextprotocol/protocolVersion': PAGE_PROTOCOL_VERSION,
        },
      },
    });
    expect(JSON.parse(fetch.mock.calls[1][1].body).params.cursor).toBe(
      'page-2',
    );
  });

  it('fails with the JSON-RPC error, and with the HTTP status', async () => {
    const rpcError = jest.fn().mockResolvedValue(
      new Response(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          error: { code: -32001, message: 'blocked by the administrators' },
        }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await expect(listMcpTools(rpcError, URL)).rejects.toThrow(
      'MCP tools/list failed: blocked by the administrators',
    );
    const forbidden = jest
      .fn()
      .mockResolvedValue(new Response('{}', { status: 403 }));
    await expect(listMcpTools(forbidden, URL)).rejects.toThrow(/403/);
  });
});
