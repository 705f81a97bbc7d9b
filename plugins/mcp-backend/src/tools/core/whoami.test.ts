import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { z } from 'zod';
import { McpTool } from '../types';
import { createWhoamiTool } from './whoami';
import {
  listedDefinition,
  noClientInteraction,
} from '../../__testUtils__/toolTesting';

const TOOLS = ['whoami', 'catalog_search', 'catalog_get_entity'];

async function call(
  tool: McpTool,
  credentials: BackstageCredentials,
  args: unknown = {},
) {
  const output = await tool.handle(tool.inputSchema.parse(args), {
    // What a restricted static token's tools pass downstream: the plugin's own.
    credentials: mockCredentials.service('plugin:mcp'),
    caller: credentials,
    listAllowedToolNames: () => [...TOOLS],
    interaction: noClientInteraction,
  });
  return tool.outputSchema.parse(output) as any;
}

describe('whoami', () => {
  const tool = createWhoamiTool({
    userInfo: mockServices.userInfo(),
    serverInfo: { name: 'backstage-mcp', version: '1.2.3' },
  });

  it('has a stable listed definition', () => {
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('takes no arguments, rejects unknown keys and is read-only in the core toolset', () => {
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(schema.properties).toEqual({});
    expect(schema.additionalProperties).toBe(false);
    expect(tool.toolset).toBe('core');
    expect(tool.annotations.readOnlyHint).toBe(true);
    expect(tool.downstreamPermissions).toEqual([]);
    expect(tool.description).toContain('{}');
  });

  it.each([
    ['an unknown key', { verbose: true }],
    ['a non-object', 'me'],
  ])('rejects %s', (_name, args) => {
    const result = tool.inputSchema.safeParse(args);
    expect(result.success).toBe(false);
  });

  it('tells a user who they are, which refs they own through, and their tools', async () => {
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async () => ({
        userEntityRef: 'user:default/alice',
        ownershipEntityRefs: ['user:default/alice', 'group:default/team-a'],
      }),
    });
    const credentials = mockCredentials.user('user:default/alice');
    const result = await call(
      createWhoamiTool({
        userInfo,
        serverInfo: { name: 'backstage-mcp', version: '1.2.3' },
      }),
      credentials,
    );
    expect(result).toEqual({
      principal: {
        type: 'user',
        user_entity_ref: 'user:default/alice',
        ownership_refs: ['user:default/alice', 'group:default/team-a'],
      },
      tools: TOOLS,
      server: { name: 'backstage-mcp', version: '1.2.3' },
    });
    expect(userInfo.getUserInfo).toHaveBeenCalledWith(credentials);
  });

  it.each([
    ['a plugin', mockCredentials.service('plugin:catalog'), 'plugin:catalog'],
    [
      'a static token',
      mockCredentials.service('external:ci-bot'),
      'external:ci-bot',
    ],
  ])(
    'tells %s its subject, without asking for user info',
    async (_name, credentials, subject) => {
      const userInfo = mockServices.userInfo.mock();
      const result = await call(
        createWhoamiTool({
          userInfo,
          serverInfo: { name: 'backstage-mcp', version: '1.2.3' },
        }),
        credentials,
      );
      expect(result).toEqual({
        principal: { type: 'service', subject },
        tools: TOOLS,
        server: { name: 'backstage-mcp', version: '1.2.3' },
      });
      expect(userInfo.getUserInfo).not.toHaveBeenCalled();
    },
  );

  it('returns a copy of the tool list', async () => {
    const result = await tool.handle(
      {},
      {
        credentials: mockCredentials.service(),
        caller: mockCredentials.service(),
        listAllowedToolNames: () => [...TOOLS],
        interaction: noClientInteraction,
      },
    );
    expect(result.tools).toEqual(TOOLS);
    expect(result.tools).not.toBe(TOOLS);
  });
});
