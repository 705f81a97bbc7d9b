import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { connectMcpClient, PROTOCOL_ERAS } from '@backstage-mcp/test-utils';
import { collectingAuditor } from './__testUtils__/governance';
import { startMcpTestBackend } from './__testUtils__/startMcpTestBackend';

const closePermission = createPermission({
  name: 'ticketing.ticket.close',
  attributes: { action: 'update' },
});
const ranActions: Array<{ action: string; caller: string }> = [];

const callerOf = (credentials: { principal: unknown }) =>
  (credentials.principal as { userEntityRef?: string; subject?: string })
    .userEntityRef ??
  (credentials.principal as { subject?: string }).subject ??
  'unknown';

/** A plugin of the portal that offers its actions to agents through the actions registry. */
const ticketingPlugin = createBackendPlugin({
  pluginId: 'ticketing',
  register(env) {
    env.registerInit({
      deps: { actionsRegistry: actionsRegistryServiceRef },
      async init({ actionsRegistry }) {
        actionsRegistry.register({
          name: 'list-tickets',
          title: 'List tickets',
          description: 'Lists the open tickets of a team.',
          attributes: { readOnly: true, idempotent: true },
          schema: {
            input: z =>
              z.object({
                team: z.string().describe('The team, e.g. platform'),
              }),
            output: z =>
              z.object({ tickets: z.array(z.string()), caller: z.string() }),
          },
          action: async ({ input, credentials }) => {
            ranActions.push({
              action: 'list-tickets',
              caller: callerOf(credentials),
            });
            return {
              output: {
                tickets: [`${input.team}-1`, `${input.team}-2`],
                caller: callerOf(credentials),
              },
            };
          },
        });
        actionsRegistry.register({
          name: 'close-ticket',
          title: 'Close a ticket',
          description: 'Closes a ticket.',
          attributes: { destructive: true },
          visibilityPermission: closePermission,
          schema: {
            input: z => z.object({ id: z.string().describe('Ticket id') }),
            output: z => z.object({ closed: z.boolean() }),
          },
          action: async ({ credentials }) => {
            ranActions.push({
              action: 'close-ticket',
              caller: callerOf(credentials),
            });
            return { output: { closed: true } };
          },
        });
        actionsRegistry.register({
          name: 'deploy',
          title: 'Deploy',
          description: 'Deploys with a secret.',
          schema: {
            input: z => z.object({}),
            output: z => z.object({}),
            secrets: z => z.object({ key: z.string() }),
          },
          action: async () => ({ output: {} }),
        });
      },
    });
  },
});

/**
 * Users may not close tickets; everything else is allowed. Service callers
 * pass, as Backstage's permissions service lets them.
 */
const permissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) =>
    requests.map(request => ({
      result:
        request.permission.name === closePermission.name &&
        (credentials.principal as { type?: string }).type === 'user'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    })),
  authorizeConditional: async requests =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
});

const BRIDGED = [
  'catalog_get_catalog_model_description',
  'catalog_unregister_entity',
  'ticketing_close_ticket',
  'ticketing_list_tickets',
];

describe('actions of the actions registry, served as tools', () => {
  const { auditor, events } = collectingAuditor();
  let mcpUrl: string;
  let stop: () => Promise<void>;
  const alice = {
    Authorization: mockCredentials.user.header('user:default/alice'),
  };

  beforeAll(async () => {
    const started = await startMcpTestBackend({
      features: [ticketingPlugin, permissions.factory, auditor.factory],
      config: {
        backend: { actions: { pluginSources: ['catalog', 'ticketing'] } },
      },
    });
    mcpUrl = started.mcpUrl;
    stop = () => started.backend.stop();
    // The list is read once every plugin has started, in the background.
    const client = await connectMcpClient('2026-07-28', mcpUrl, alice);
    for (
      let tries = 0;
      !(await client.listTools()).some(
        t => t.name === 'ticketing_list_tickets',
      );
      tries++
    ) {
      if (tries > 100) throw new Error('The bridged actions never appeared');
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    await client.close();
  });
  afterAll(() => stop());

  describe.each(PROTOCOL_ERAS)('with a %s client', era => {
    it('lists the actions the native tools do not cover, with their schemas and attributes', async () => {
      const client = await connectMcpClient(era, mcpUrl, alice);
      const tools = await client.listTools();
      const bridged = tools
        .filter(t => !t.name.startsWith('catalog_') || BRIDGED.includes(t.name))
        .map(t => t.name);
      expect(bridged.filter(name => BRIDGED.includes(name)).sort()).toEqual(
        BRIDGED,
      );
      const names = tools.map(t => t.name);
      // Covered by catalog_get_entity and catalog_search; deploy needs secrets.
      expect(names).not.toContain('catalog_get_catalog_entity');
      expect(names).not.toContain('catalog_query_catalog_entities');
      expect(names).not.toContain('ticketing_deploy');
      expect(
        tools.find(t => t.name === 'ticketing_list_tickets'),
      ).toMatchObject({
        title: 'List tickets',
        description: 'Lists the open tickets of a team.',
        inputSchema: {
          type: 'object',
          properties: {
            team: { type: 'string', description: 'The team, e.g. platform' },
          },
        },
        outputSchema: {
          type: 'object',
          properties: { tickets: { type: 'array' } },
        },
        annotations: { readOnlyHint: true },
      });
      expect(
        tools.find(t => t.name === 'ticketing_close_ticket')?.annotations,
      ).toMatchObject({
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
      });
      await client.close();
    });

    it("calls an action with the caller's credentials, audited like a native tool", async () => {
      const client = await connectMcpClient(era, mcpUrl, alice);
      ranActions.length = 0;
      events.length = 0;
      const result = await client.callTool('ticketing_list_tickets', {
        team: 'platform',
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({
        tickets: ['platform-1', 'platform-2'],
        caller: 'user:default/alice',
      });
      expect(ranActions).toEqual([
        { action: 'list-tickets', caller: 'user:default/alice' },
      ]);
      const audit = events.find(e => e.event.eventId === 'tool-call');
      expect(audit?.event.meta).toMatchObject({
        tool: 'ticketing_list_tickets',
        toolset: 'ticketing-actions',
      });
      expect(audit?.success).toHaveBeenCalled();
      await client.close();
    });

    it('refuses wrong arguments with a message naming the field, without calling the action', async () => {
      const client = await connectMcpClient(era, mcpUrl, alice);
      ranActions.length = 0;
      const result = await client.callTool('ticketing_list_tickets', {
        team: 7,
      });
      expect(result).toMatchObject({
        isError: true,
        content: [{ text: expect.stringMatching(/^Invalid input: team: /) }],
      });
      expect(ranActions).toEqual([]);
      await client.close();
    });

    it("honours the action's visibility permission with the caller's credentials", async () => {
      const client = await connectMcpClient(era, mcpUrl, alice);
      ranActions.length = 0;
      const result = await client.callTool('ticketing_close_ticket', {
        id: 'platform-1',
      });
      expect(result).toMatchObject({
        isError: true,
        content: [
          {
            text: expect.stringContaining(
              "ticketing_close_ticket is not available to you: the ticketing plugin's permission policy",
            ),
          },
        ],
      });
      expect(ranActions).toEqual([]);
      await client.close();
    });
  });

  // Restricted tokens: toolAccess.test.ts and the demo's actions.e2e.test.ts.
  it('runs an action for an unrestricted static token', async () => {
    const unrestricted = await connectMcpClient('2026-07-28', mcpUrl, {
      Authorization: mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('ops-bot'),
        targetPluginId: 'mcp',
      }),
    });
    ranActions.length = 0;
    const closed = await unrestricted.callTool('ticketing_close_ticket', {
      id: 'platform-1',
    });
    expect(closed.structuredContent).toEqual({ closed: true });
    expect(ranActions).toEqual([
      { action: 'close-ticket', caller: expect.any(String) },
    ]);
    await unrestricted.close();
  });
});
