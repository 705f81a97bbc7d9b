#!/usr/bin/env node
/*
 * The MCP client of scripts/pack-install-check.sh: talks to the backend that
 * script installed from the packed tarballs, as an agent with a static token
 * would, in both protocol eras.
 *
 *   node scripts/pack-install-check-client.js <mcp url> <token> <subject> <entity name>
 *
 * Exits non-zero with the answer that did not match. Plain fetch, no SDK:
 * the check must not depend on the workspace it verifies.
 */
const [url, token, subject, entityName] = process.argv.slice(2);
const SEARCH_DEADLINE_MS = 120_000;

function fail(message, detail) {
  console.error(`[pack-check] FAILED: ${message}`);
  if (detail !== undefined) {
    console.error(JSON.stringify(detail, null, 2).slice(0, 4000));
  }
  process.exit(1);
}

/** The JSON-RPC message of an answer, sent as JSON or as one SSE event. */
function messageOf(text, contentType) {
  if (!contentType.includes('text/event-stream')) return JSON.parse(text);
  const data = text
    .split('\n')
    .filter(line => line.startsWith('data:'))
    .map(line => JSON.parse(line.slice(5)))
    .find(message => 'result' in message || 'error' in message);
  if (!data) throw new Error(`no result in the event stream: ${text}`);
  return data;
}

let nextId = 1;
async function call(method, params, era) {
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    Authorization: `Bearer ${token}`,
    'MCP-Protocol-Version': era,
  };
  const body = { jsonrpc: '2.0', id: nextId++, method, params };
  if (era === '2026-07-28') {
    // The 2026 era carries the client's identity in every request.
    headers['Mcp-Method'] = method;
    if (params?.name) headers['Mcp-Name'] = params.name;
    body.params = {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': era,
        'io.modelcontextprotocol/clientInfo': {
          name: 'pack-install-check',
          version: '1.0.0',
        },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    };
  }
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let message;
  try {
    message = messageOf(text, response.headers.get('content-type') ?? '');
  } catch {
    fail(`${method} (${era}) answered HTTP ${response.status}`, text);
  }
  if (message.error) fail(`${method} (${era}) answered an error`, message);
  return message.result;
}

async function main() {
  const init = await call(
    'initialize',
    {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'pack-install-check', version: '1.0.0' },
    },
    '2025-11-25',
  );
  if (!init.capabilities?.tools) fail('initialize lists no tools', init);
  console.error(
    `[pack-check] initialize: ${init.serverInfo?.name} ${init.serverInfo?.version}, protocol ${init.protocolVersion}`,
  );

  for (const era of ['2025-11-25', '2026-07-28']) {
    const whoami = await call(
      'tools/call',
      { name: 'whoami', arguments: {} },
      era,
    );
    const principal = whoami.structuredContent?.principal;
    if (whoami.isError || principal?.subject !== subject) {
      fail(`whoami (${era}) did not answer as ${subject}`, whoami);
    }
    console.error(`[pack-check] whoami (${era}): ${JSON.stringify(principal)}`);
  }

  // The catalog reads its location asynchronously: the entity appears once
  // the processing loop has been round.
  const started = Date.now();
  for (;;) {
    const search = await call(
      'tools/call',
      { name: 'catalog_search', arguments: { query: entityName } },
      '2026-07-28',
    );
    if (search.isError) fail('catalog_search answered an error', search);
    const refs = JSON.stringify(search.structuredContent ?? {});
    if (refs.includes(`component:default/${entityName}`)) {
      console.error(
        `[pack-check] catalog_search found component:default/${entityName} after ${Math.round(
          (Date.now() - started) / 1000,
        )} s`,
      );
      return;
    }
    if (Date.now() - started > SEARCH_DEADLINE_MS) {
      fail(`catalog_search did not find ${entityName}`, search);
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

main().catch(error => fail(error.stack ?? String(error)));
