/*
 * The requests the benchmark makes, each a plain HTTP request from this
 * process (Node's fetch, keep-alive), so that every row pays the same client
 * cost and the server's work is what differs.
 */

/** One request; resolves to the size of the response body in bytes. */
export type Call = () => Promise<number>;

export type ProtocolEra = '2025-11-25' | '2026-07-28';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/**
 * A stateless `tools/call` without `initialize`, as both servers allow: the
 * 2026-07-28 era carries the client's metadata in `_meta` and the
 * `Mcp-Method`/`Mcp-Name` headers instead.
 */
export function mcpCall(
  url: string,
  token: string,
  era: ProtocolEra,
  name: string,
  args: object,
): Call {
  let id = 0;
  const modern = era === '2026-07-28';
  return async () => {
    id += 1;
    const params: Record<string, unknown> = { name, arguments: args };
    if (modern) {
      params._meta = {
        'io.modelcontextprotocol/protocolVersion': era,
        'io.modelcontextprotocol/clientInfo': {
          name: 'bench',
          version: '1.0.0',
        },
        'io.modelcontextprotocol/clientCapabilities': {},
      };
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        ...bearer(token),
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': era,
        ...(modern ? { 'Mcp-Method': 'tools/call', 'Mcp-Name': name } : {}),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params,
      }),
    });
    const text = await response.text();
    if (!response.ok || text.includes('"isError":true')) {
      throw new Error(
        `MCP call ${name} failed: ${response.status} ${text.slice(0, 300)}`,
      );
    }
    return Buffer.byteLength(text);
  };
}

export function restCall(url: string, token: string): Call {
  return async () => {
    const response = await fetch(url, { headers: bearer(token) });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`REST call ${url} failed: ${response.status}`);
    return Buffer.byteLength(text);
  };
}

/**
 * Several REST requests one after the other, each built from the previous
 * answer: what a client of the REST API does for an answer that spans
 * entities (an entity, then its owner, then the owner's members).
 */
export function restSequence(
  token: string,
  steps: Array<(previous: any) => { url: string; init?: RequestInit }>,
): Call {
  return async () => {
    let previous: unknown;
    let bytes = 0;
    for (const step of steps) {
      const { url, init } = step(previous);
      const response = await fetch(url, {
        ...init,
        headers: { ...bearer(token), ...(init?.headers ?? {}) },
      });
      const text = await response.text();
      if (!response.ok)
        throw new Error(`REST call ${url} failed: ${response.status}`);
      bytes += Buffer.byteLength(text);
      previous = JSON.parse(text);
    }
    return bytes;
  };
}
