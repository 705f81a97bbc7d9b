import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AgentScope, AgentScopes } from '../config/agentConfig';
import { agentScopeAllows, agentScopeFor } from './agentScope';
import { mcpToolRules } from '../permissions/rules';
import { createToolAccessDecider, GatedTool } from '../permissions/toolAccess';

const tool = (name: string, toolset: string, readOnly: boolean): GatedTool => ({
  resource: { name, toolset, readOnly },
  downstreamPermissionNames: [],
});

const TOOLS = [
  tool('whoami', 'core', true),
  tool('catalog_search', 'catalog', true),
  tool('catalog_refresh_entity', 'catalog', false),
  tool('api_get_spec', 'api', true),
  tool('scaffolder_run_template', 'scaffolder', false),
];
const ALL = TOOLS.map(t => t.resource.name);

const SCOPES: AgentScopes = {
  agents: new Map<string, AgentScope>([
    ['catalog-bot', { toolsets: new Set(['catalog']) }],
    [
      'named-bot',
      { tools: new Set(['api_get_spec', 'scaffolder_run_template']) },
    ],
    [
      'mixed-bot',
      { toolsets: new Set(['api']), tools: new Set(['catalog_search']) },
    ],
    ['reader-bot', { readOnly: true }],
    ['catalog-reader-bot', { toolsets: new Set(['catalog']), readOnly: true }],
    ['template-bot', { templates: ['tag:agent-safe'] }],
  ]),
  defaultAgent: { toolsets: new Set(['api']), readOnly: true },
};

const service = (subject: string) => mockCredentials.service(subject);

describe('agent scopes in the tool gate', () => {
  function decideWith(scopes?: AgentScopes) {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any,
      authorize: async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    });
    return createToolAccessDecider({
      logger: mockServices.logger.mock(),
      permissions,
      ruleset: {
        getRuleByName: (name: string) =>
          Object.values(mcpToolRules).find(r => r.name === name)!,
      } as any,
      downstreamPermissions: [],
      agentScopes: scopes,
    });
  }

  it.each<[string, BackstageCredentials, string[]]>([
    [
      'a listed agent with toolsets',
      service('catalog-bot'),
      ['whoami', 'catalog_search', 'catalog_refresh_entity'],
    ],
    [
      'a listed agent with tools',
      service('named-bot'),
      ['whoami', 'api_get_spec', 'scaffolder_run_template'],
    ],
    [
      'a listed agent with toolsets and tools, either passing',
      service('mixed-bot'),
      ['whoami', 'catalog_search', 'api_get_spec'],
    ],
    [
      'a listed read-only agent',
      service('reader-bot'),
      ['whoami', 'catalog_search', 'api_get_spec'],
    ],
    [
      'a listed agent with a toolset, read-only',
      service('catalog-reader-bot'),
      ['whoami', 'catalog_search'],
    ],
    // Listed with templates only: its entry replaces the default, so no tool restriction.
    [
      'a listed agent with only a template allowlist',
      service('template-bot'),
      ALL,
    ],
    [
      'an unlisted agent, held to mcp.defaultAgent',
      service('other-bot'),
      ['whoami', 'api_get_spec'],
    ],
    [
      'another plugin, held to mcp.defaultAgent',
      service('plugin:catalog'),
      ['whoami', 'api_get_spec'],
    ],
    [
      'a user, whatever the agent scopes',
      mockCredentials.user('user:default/catalog-bot'),
      ALL,
    ],
  ])('lets %s use only its scope', async (_name, credentials, expected) => {
    const access = await decideWith(SCOPES)(credentials);
    expect(
      TOOLS.filter(t => access.allows(t)).map(t => t.resource.name),
    ).toEqual(expected);
    for (const t of TOOLS) {
      expect(access.denialReason(t)).toBe(
        expected.includes(t.resource.name) ? undefined : 'agent-scope',
      );
    }
  });

  it('restricts nothing when no default agent is configured (as before)', async () => {
    const access = await decideWith({ agents: SCOPES.agents })(
      service('other-bot'),
    );
    expect(
      TOOLS.filter(t => access.allows(t)).map(t => t.resource.name),
    ).toEqual(ALL);
    const unscoped = await decideWith()(service('catalog-bot'));
    expect(
      TOOLS.filter(t => unscoped.allows(t)).map(t => t.resource.name),
    ).toEqual(ALL);
  });

  it('names the policy when the policy denies a tool the scope allows', async () => {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async requests =>
        requests.map(() => ({ result: AuthorizeResult.DENY })) as any,
    });
    const decide = createToolAccessDecider({
      logger: mockServices.logger.mock(),
      permissions,
      ruleset: { getRuleByName: () => undefined } as any,
      downstreamPermissions: [],
      agentScopes: SCOPES,
    });
    const access = await decide(service('catalog-bot'));
    expect(access.denialReason(TOOLS[1])).toBe('policy');
    expect(access.denialReason(TOOLS[3])).toBe('agent-scope');
  });
});

describe('agentScopeFor', () => {
  it('prefers the listed entry, falls back to the default, and ignores users', () => {
    expect(agentScopeFor(service('reader-bot'), SCOPES)).toEqual({
      readOnly: true,
    });
    expect(agentScopeFor(service('nobody'), SCOPES)).toBe(SCOPES.defaultAgent);
    expect(agentScopeFor(mockCredentials.user(), SCOPES)).toBeUndefined();
  });

  it('lets an empty scope pass every tool and an empty toolset list only core', () => {
    expect(agentScopeAllows({}, TOOLS[2].resource)).toBe(true);
    expect(
      TOOLS.filter(t =>
        agentScopeAllows({ toolsets: new Set() }, t.resource),
      ).map(t => t.resource.name),
    ).toEqual(['whoami']);
  });
});
