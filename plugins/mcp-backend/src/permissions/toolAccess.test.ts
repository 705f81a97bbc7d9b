import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  BackstageCredentials,
  BackstageServicePrincipal,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  PermissionCriteria,
  PermissionCondition,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ServerPermissionClient } from '@backstage/plugin-permission-node';
import { mcpToolInvokePermission } from '@backstage-mcp/plugin-mcp-common';
import { readMcpConfig } from '../config';
import { ToolInventory } from '../mcp/toolInventory';
import { createTools, servedTools } from '../tools';
import {
  createMcpToolConditionalDecision,
  mcpToolConditions,
} from './conditions';
import { mcpToolRules } from './rules';
import { createToolAccessDecider, GatedTool } from './toolAccess';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { templateRunsForTests } from '../__testUtils__/templateRuns';

const { isToolName, isInToolset, isReadOnlyTool } = mcpToolConditions;

const ruleset = {
  getRuleByName: (name: string) =>
    Object.values(mcpToolRules).find(r => r.name === name)!,
};

// The core and catalog toolsets: the api toolset is stood in for below, so
// that these cases do not change when its tools do.
const config = readMcpConfig(
  new ConfigReader({ mcp: { toolsets: ['catalog'] } }),
);
const inventory = ToolInventory.of(
  servedTools(
    createTools({
      config,
      catalog: catalogServiceMock(),
      scaffolder: scaffolderServiceMock.mock(),
      userInfo: mockServices.userInfo(),
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      serverInfo: { name: 'backstage-mcp', version: '0.0.0' },
      templateRuns: templateRunsForTests(),
    }),
    config,
  ),
);

/** The served tools, plus one of the api toolset. */
const TOOLS: GatedTool[] = [
  ...inventory.tools,
  {
    resource: { name: 'api_get_spec', toolset: 'api', readOnly: true },
    downstreamPermissionNames: ['catalog.entity.read'],
  },
];

const ALL = TOOLS.map(t => t.resource.name);
const WRITERS = ['catalog_refresh_entity', 'catalog_register_location'];
const READ_ONLY = ALL.filter(name => !WRITERS.includes(name));
/** Validating needs catalog.entity.validate besides reading. */
const CATALOG_READERS = READ_ONLY.filter(
  name => name !== 'catalog_validate_entity',
);

/**
 * A permissions service whose policy answers `decision` to mcp.tool.invoke
 * and which, like Backstage's own, holds a service principal to its token's
 * accessRestrictions.
 */
function setup(decision: PolicyDecision = { result: AuthorizeResult.ALLOW }) {
  const permissions = mockServices.permissions.mock({
    authorizeConditional: async requests => requests.map(() => decision) as any,
    authorize: async (requests, options) => {
      const principal = options.credentials
        .principal as BackstageServicePrincipal;
      const allowed = principal.accessRestrictions?.permissionNames;
      return requests.map(request => ({
        result:
          !allowed || allowed.includes(request.permission.name)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
  });
  const logger = mockServices.logger.mock();
  const decide = createToolAccessDecider({
    logger,
    permissions,
    ruleset,
    downstreamPermissions: inventory.downstreamPermissions(),
  });
  return { permissions, decide, logger };
}

async function allowedTools(
  decide: (c: BackstageCredentials) => Promise<any>,
  credentials: BackstageCredentials,
) {
  const access = await decide(credentials);
  return {
    access,
    names: TOOLS.filter(t => access.allows(t)).map(t => t.resource.name),
  };
}

const conditional = (
  conditions: PermissionCriteria<PermissionCondition<'mcp-tool'>>,
) => createMcpToolConditionalDecision(mcpToolInvokePermission, conditions);

describe('createToolAccessDecider', () => {
  const user = mockCredentials.user('user:default/alice');

  it('gates every served tool', () => {
    expect(ALL).toEqual([
      'whoami',
      'catalog_search',
      'catalog_get_entity',
      'catalog_get_relations',
      'catalog_get_owner',
      'catalog_list_owned_entities',
      'catalog_list_values',
      'catalog_refresh_entity',
      'catalog_validate_entity',
      'catalog_register_location',
      'api_get_spec',
    ]);
  });

  it.each([
    ['ALLOW', { result: AuthorizeResult.ALLOW }, ALL],
    ['DENY', { result: AuthorizeResult.DENY }, []],
    ['read-only tools', conditional(isReadOnlyTool()), READ_ONLY],
    [
      'tools by name',
      conditional(
        isToolName({ names: ['whoami', 'catalog_search', 'no_such_tool'] }),
      ),
      ['whoami', 'catalog_search'],
    ],
    [
      'toolsets',
      conditional(isInToolset({ toolsets: ['core', 'api'] })),
      ['whoami', 'api_get_spec'],
    ],
    [
      'anyOf a toolset or a name',
      conditional({
        anyOf: [
          isInToolset({ toolsets: ['api'] }),
          isToolName({ names: ['catalog_get_owner'] }),
        ],
      }),
      ['catalog_get_owner', 'api_get_spec'],
    ],
    [
      'allOf a toolset and not read-only',
      conditional({
        allOf: [
          isInToolset({ toolsets: ['catalog'] }),
          { not: isReadOnlyTool() },
        ],
      }),
      WRITERS,
    ],
    [
      'not a toolset',
      conditional({ not: isInToolset({ toolsets: ['catalog'] }) }),
      ['whoami', 'api_get_spec'],
    ],
  ])(
    'applies a %s decision to every tool locally',
    async (_name, decision, expected) => {
      const { permissions, decide } = setup(decision as PolicyDecision);
      const { access, names } = await allowedTools(decide, user);
      expect(names).toEqual(expected);
      expect(access.result).toBe(decision.result);
      // One policy round-trip, however many tools were checked.
      expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
      expect(permissions.authorizeConditional).toHaveBeenCalledWith(
        [{ permission: mcpToolInvokePermission }],
        { credentials: user },
      );
    },
  );

  it('leaves downstream permissions of a user to the downstream plugins', async () => {
    const { permissions, decide } = setup();
    const { names } = await allowedTools(decide, user);
    expect(names).toEqual(ALL);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it.each([
    [
      'a service without access restrictions',
      mockCredentials.service('plugin:scaffolder'),
      ALL,
    ],
    [
      'a static token restricted to reading the catalog',
      mockCredentials.service('external:ci-bot', {
        permissionNames: ['mcp.tool.invoke', 'catalog.entity.read'],
      }),
      CATALOG_READERS,
    ],
    [
      'a static token restricted to refreshing only',
      mockCredentials.service('external:refresher', {
        permissionNames: ['mcp.tool.invoke', 'catalog.entity.refresh'],
      }),
      // Refreshing needs reading too; only tools without downstream permissions remain.
      ['whoami'],
    ],
  ])(
    'holds %s to its access restrictions downstream',
    async (_name, credentials, expected) => {
      const { permissions, decide } = setup();
      const { names } = await allowedTools(decide, credentials);
      expect(names).toEqual(expected);
      expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
      expect(permissions.authorize).toHaveBeenCalledTimes(1);
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'catalog.entity.read',
            }),
          },
          {
            permission: expect.objectContaining({
              name: 'catalog.entity.refresh',
            }),
          },
          {
            permission: expect.objectContaining({
              name: 'catalog.entity.validate',
            }),
          },
          {
            permission: expect.objectContaining({
              name: 'catalog.location.create',
            }),
          },
        ],
        { credentials },
      );
    },
  );

  it.each([
    [
      'restricted to reading the catalog',
      { permissionNames: ['mcp.tool.invoke', 'catalog.entity.read'] },
      CATALOG_READERS,
    ],
    [
      'without the MCP permission',
      { permissionNames: ['catalog.entity.read'] },
      [],
    ],
  ])(
    "decides a static token %s with Backstage's own permissions client, locally",
    async (_name, accessRestrictions, expected) => {
      const permissions = ServerPermissionClient.fromConfig(
        new ConfigReader({ permission: { enabled: true } }),
        { discovery: mockServices.discovery(), auth: mockServices.auth() },
      );
      const authorizeConditional = jest.spyOn(
        permissions,
        'authorizeConditional',
      );
      const authorize = jest.spyOn(permissions, 'authorize');
      const decide = createToolAccessDecider({
        logger: mockServices.logger.mock(),
        permissions,
        ruleset,
        downstreamPermissions: inventory.downstreamPermissions(),
      });
      const credentials = mockCredentials.service(
        'external:ci-bot',
        accessRestrictions,
      );
      const { names } = await allowedTools(decide, credentials);
      expect(names).toEqual(expected);
      expect(authorizeConditional).toHaveBeenCalledTimes(1);
      expect(authorize).toHaveBeenCalledTimes(1);
    },
  );

  it('combines a conditional policy with a service token restriction', async () => {
    const { decide } = setup(
      conditional(isInToolset({ toolsets: ['catalog'] })),
    );
    const credentials = mockCredentials.service('external:ci-bot', {
      permissionNames: ['mcp.tool.invoke', 'catalog.entity.read'],
    });
    const { names } = await allowedTools(decide, credentials);
    expect(names).toEqual(
      CATALOG_READERS.filter(name => name.startsWith('catalog_')),
    );
  });

  it('refuses tools that do not declare what they do downstream to restricted tokens only', async () => {
    const { decide } = setup();
    const bridged: GatedTool = {
      resource: {
        name: 'notifications_get_notifications',
        toolset: 'notifications-actions',
        readOnly: true,
      },
      downstreamPermissionNames: [],
      undeclaredDownstream: true,
    };
    const restricted = await decide(
      mockCredentials.service('external:ci-bot', {
        permissionNames: ['mcp.tool.invoke', 'catalog.entity.read'],
      }),
    );
    expect(restricted.denialReason(bridged)).toBe('policy');
    expect(
      restricted.allows(
        TOOLS.find(t => t.resource.name === 'catalog_get_entity')!,
      ),
    ).toBe(true);
    expect(
      (await decide(mockCredentials.service('external:ops-bot'))).allows(
        bridged,
      ),
    ).toBe(true);
    expect((await decide(user)).allows(bridged)).toBe(true);
  });

  it('does not check downstream permissions when no tool exercises any', async () => {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async () => [{ result: AuthorizeResult.ALLOW }],
    });
    const decide = createToolAccessDecider({
      logger: mockServices.logger.mock(),
      permissions,
      ruleset,
      downstreamPermissions: [],
    });
    const access = await decide(
      mockCredentials.service('external:ci-bot', { permissionNames: [] }),
    );
    expect(access.allows(TOOLS[0])).toBe(true);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('gives up on a decision that does not come within the time limit, and says why', async () => {
    // For users the permission framework asks the sign-in service, whose
    // database may be paused.
    const decide = createToolAccessDecider({
      logger: mockServices.logger.mock(),
      permissions: mockServices.permissions.mock({
        authorizeConditional: () => new Promise(() => {}),
      }),
      ruleset,
      downstreamPermissions: [],
      timeoutMs: 100,
    });
    const started = Date.now();
    const error = await decide(user).catch(e => e);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({
      name: 'CallDeadlineError',
      limitMs: 100,
      message:
        'Could not decide within 0.1 s which tools you may use: the permission framework, or the sign-in service it asks about users, is slow or unavailable. Retry in a minute.',
    });
  });

  it('decides once per call of the decider, not per tool', async () => {
    const { permissions, decide } = setup(conditional(isReadOnlyTool()));
    const access = await decide(user);
    for (const tool of [...TOOLS, ...TOOLS]) access.allows(tool);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    await decide(user);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(2);
  });

  it('denies and logs when the policy sends conditions it cannot apply', async () => {
    const { decide, logger } = setup({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'mcp',
      resourceType: 'mcp-tool',
      conditions: {
        rule: 'IS_TOOL_NAME',
        resourceType: 'mcp-tool',
        params: { names: 'whoami' },
      },
    } as PolicyDecision);
    const access = await decide(mockCredentials.user());
    expect(TOOLS.some(tool => access.allows(tool))).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('denying'),
    );
  });
});
