import { connectMcpClient } from '@backstage-mcp/test-utils';
import fs from 'node:fs';
import path from 'node:path';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';
import { describeTools, ListedTool, tableCells } from './toolTable';

// Test-only code, never bundled: __dirname is the source folder here.
// eslint-disable-next-line no-restricted-syntax
const README = path.resolve(__dirname, '../../../../README.md');
const TABLE_INTRO = 'Tokens for trying it out';
const GUEST_TOKEN_COMMAND = '/api/auth/guest/refresh';

interface TokenRow {
  line: string;
  cells: string[];
}

/** The rows of the README's "Tokens for trying it out" table, header left out. */
function readTokenTable(): TokenRow[] {
  const lines = fs.readFileSync(README, 'utf8').split('\n');
  const start = lines.findIndex(line => line.startsWith(TABLE_INTRO));
  expect(start).toBeGreaterThan(-1);
  const table: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('|')) table.push(line);
    else if (table.length) break;
  }
  return table.slice(2).map(line => ({ line, cells: tableCells(line) }));
}

/** Which caller a row is about, by the token (or the command that gets one) it shows. */
function callerOf(row: TokenRow): string | undefined {
  const token = row.cells[1] ?? '';
  if (token.includes(GUEST_TOKEN_COMMAND)) return 'guest';
  return Object.entries(DEMO_TOKENS).find(
    ([, value]) => token === `\`${value}\``,
  )?.[0];
}

describe("the README's token table", () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startDemoBackend();
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
  });

  async function listTools(token: string): Promise<ListedTool[]> {
    const client = await connectMcpClient('2026-07-28', backend.mcpUrl, {
      Authorization: `Bearer ${token}`,
    });
    try {
      return (await client.listTools()) as ListedTool[];
    } finally {
      await client.close();
    }
  }

  it('has one row per demo caller: every static token and the guest', () => {
    const callers = readTokenTable().map(
      row => callerOf(row) ?? `unknown (${row.line})`,
    );
    expect(callers.sort()).toEqual(
      [...Object.keys(DEMO_TOKENS), 'guest'].sort(),
    );
  });

  it('says which tools each caller gets, as tools/list answers them', async () => {
    // The unrestricted agent's list is the whole list the others are told against.
    const all = await listTools(DEMO_TOKENS.agent);
    const tokens: Record<string, string> = {
      ...DEMO_TOKENS,
      guest: await backend.guestToken(),
    };
    const wrong: string[] = [];
    for (const row of readTokenTable()) {
      const caller = callerOf(row);
      if (!caller) continue;
      const tools = await listTools(tokens[caller]);
      const expected = describeTools(
        tools.map(t => t.name),
        all,
      );
      if (row.cells[2] !== expected) {
        const fixed = [
          row.cells[0],
          row.cells[1].replace(/\|/g, '\\|'),
          expected,
        ];
        wrong.push(
          `README.md says:\n${
            row.line
          }\ntools/list says it should read:\n| ${fixed.join(' | ')} |`,
        );
      }
    }
    expect(wrong.join('\n\n')).toBe('');
  });
});
