import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { connectMcpClient } from '@backstage-mcp/test-utils';
import { Knex } from 'knex';
import { startMcpTestBackend } from './__testUtils__/startMcpTestBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const TABLE = 'mcp_rate_limit_windows';

/** Every plugin its own database, as in a portal; the MCP plugin's is kept for the test. */
function databasesPerPlugin(mcpDatabase: Knex) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    async factory({ pluginMetadata }) {
      const knex =
        pluginMetadata.getId() === 'mcp'
          ? mcpDatabase
          : await databases.init('SQLITE_3');
      return mockServices.database({ knex });
    },
  });
}

function recordingAuditor() {
  const events: Array<{ eventId: string; meta: any; outcome?: any }> = [];
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockImplementation(async event => {
    const recorded: (typeof events)[number] = {
      eventId: event.eventId,
      meta: event.meta,
    };
    events.push(recorded);
    return {
      success: async options => void (recorded.outcome = options?.meta),
      fail: async options => void (recorded.outcome = options.meta),
    };
  });
  return { auditor, events };
}

describe('rate limits in the plugin database', () => {
  it('refuses calls over budget, and lets calls run (audited as unchecked) when the database fails', async () => {
    const mcpDatabase = await databases.init('SQLITE_3');
    const { auditor, events } = recordingAuditor();
    const { backend, mcpUrl } = await startMcpTestBackend({
      features: [databasesPerPlugin(mcpDatabase), auditor.factory],
      config: {
        mcp: { rateLimits: { calls: { limit: 2, window: { minutes: 1 } } } },
      },
    });
    try {
      const client = await connectMcpClient('2026-07-28', mcpUrl, {
        Authorization: mockCredentials.user.header('user:default/alice'),
      });
      // Fixed one-minute windows: a minute that ends during the calls below
      // would fill the budget up again.
      const left = 60_000 - (Date.now() % 60_000);
      if (left < 5_000)
        await new Promise(resolve => setTimeout(resolve, left + 100));

      expect((await client.callTool('whoami')).isError).toBeFalsy();
      expect((await client.callTool('whoami')).isError).toBeFalsy();
      const limited = await client.callTool('whoami');
      expect(limited.content[0].text).toMatch(
        /^Rate limit reached: at most 2 calls per 1 min/,
      );
      expect(events.at(-1)?.meta).toMatchObject({
        decisionReason: 'rate-limited',
        rateLimit: { budget: 'calls', limit: 2 },
      });
      expect(
        await mcpDatabase(TABLE).select('principal', 'budget', 'used'),
      ).toEqual([
        { principal: 'user:default/alice', budget: 'calls', used: 2 },
      ]);

      await mcpDatabase.schema.renameTable(TABLE, 'unreachable');
      const unchecked = await client.callTool('whoami');
      expect(unchecked.isError).toBeFalsy();
      expect(events.at(-1)?.meta).toMatchObject({
        decision: 'allow',
        rateLimit: { checked: false, cause: 'error' },
      });
      expect(events.at(-1)?.outcome).toMatchObject({ outcome: 'ok' });
      await client.close();
    } finally {
      await backend.stop();
    }
  });
});
