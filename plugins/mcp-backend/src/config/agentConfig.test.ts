import { MCP_TOOLSETS } from '@backstage-mcp/plugin-mcp-common';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { assertKnownToolNames, readAgentScopes } from './agentConfig';
import { readEndpoints } from './endpointConfig';
import { readMcpConfig } from './mcpConfig';

const mcp = (section: JsonObject) => new ConfigReader(section);

describe('readAgentScopes', () => {
  it('reads toolsets, tools and readOnly beside templates', () => {
    const scopes = readAgentScopes(
      mcp({
        agents: [
          {
            subject: 'bot',
            toolsets: ['catalog'],
            tools: ['api_get_spec'],
            readOnly: true,
            templates: ['tag:x'],
          },
          { subject: 'legacy', templates: [] },
        ],
        defaultAgent: { toolsets: ['core'], readOnly: true },
      }),
    );
    expect(scopes.agents.get('bot')).toEqual({
      toolsets: new Set(['catalog']),
      tools: new Set(['api_get_spec']),
      readOnly: true,
      templates: ['tag:x'],
    });
    expect(scopes.agents.get('legacy')).toEqual({ templates: [] });
    expect(scopes.defaultAgent).toEqual({
      toolsets: new Set(['core']),
      readOnly: true,
    });
  });

  it("reads who may enter an agent's secrets, as entity refs of users and groups", () => {
    const scopes = readAgentScopes(
      mcp({
        agents: [
          {
            subject: 'bot',
            secretEntry: {
              enteredBy: ['user:jane', 'Group:default/Platform-Team'],
            },
          },
          { subject: 'nobody', secretEntry: { enteredBy: [] } },
        ],
        defaultAgent: { secretEntry: { enteredBy: ['group:ops/sre'] } },
      }),
    );
    expect(scopes.agents.get('bot')?.secretEntry).toEqual({
      enteredBy: ['user:default/jane', 'group:default/platform-team'],
    });
    expect(scopes.agents.get('nobody')?.secretEntry).toEqual({ enteredBy: [] });
    expect(scopes.defaultAgent?.secretEntry).toEqual({
      enteredBy: ['group:ops/sre'],
    });
  });

  it('leaves the default agent unset when not configured', () => {
    expect(readAgentScopes(mcp({}))).toEqual({ agents: new Map() });
    expect(readMcpConfig(new ConfigReader({})).defaultAgent).toBeUndefined();
  });

  it.each([
    [
      'an unknown agent toolset',
      { agents: [{ subject: 'bot', toolsets: ['wiki'] }] },
      /mcp\.agents\[0\]\.toolsets names unknown toolsets: wiki\. Known toolsets: core, catalog/,
    ],
    [
      'an unknown default toolset',
      { defaultAgent: { toolsets: ['wiki'] } },
      /mcp\.defaultAgent\.toolsets names unknown toolsets: wiki/,
    ],
    [
      'a subject on the default agent',
      { defaultAgent: { subject: 'x' } },
      /takes no subject/,
    ],
    [
      'a bad default template',
      { defaultAgent: { templates: ['tag:'] } },
      /mcp\.defaultAgent\.templates has "tag:"/,
    ],
    [
      'an entrant that is not a user or group',
      {
        agents: [
          {
            subject: 'bot',
            secretEntry: { enteredBy: ['component:default/shop'] },
          },
        ],
      },
      /mcp\.agents\[0\]\.secretEntry\.enteredBy has "component:default\/shop": name users or groups by entity ref/,
    ],
    [
      'an entrant without a kind',
      { defaultAgent: { secretEntry: { enteredBy: ['jane'] } } },
      /mcp\.defaultAgent\.secretEntry\.enteredBy has "jane"/,
    ],
  ])('rejects %s', (_name, section, message) => {
    expect(() => readAgentScopes(mcp(section as JsonObject))).toThrow(message);
  });

  it('rejects unknown tool names, listing the known ones', () => {
    const scopes = readAgentScopes(
      mcp({ agents: [{ subject: 'bot', tools: ['whoami', 'catalog_serch'] }] }),
    );
    expect(() =>
      assertKnownToolNames(scopes, ['whoami', 'catalog_search']),
    ).toThrow(
      'Config mcp.agents (subject "bot") names unknown tools: catalog_serch. Known tools: catalog_search, whoami',
    );
    const defaults = readAgentScopes(
      mcp({ defaultAgent: { tools: ['nope'] } }),
    );
    expect(() => assertKnownToolNames(defaults, ['whoami'])).toThrow(
      /mcp\.defaultAgent names unknown tools: nope/,
    );
    expect(() =>
      assertKnownToolNames(scopes, ['whoami', 'catalog_serch']),
    ).not.toThrow();
  });
});

describe('readEndpoints and mcp.enabled', () => {
  it('reads named endpoints, always with core', () => {
    expect(
      readEndpoints(
        mcp({
          endpoints: {
            readonly: { readOnly: true },
            'catalog-only': { toolsets: ['catalog'] },
          },
        }),
        MCP_TOOLSETS,
      ),
    ).toEqual(
      new Map([
        ['readonly', { readOnly: true }],
        [
          'catalog-only',
          { toolsets: new Set(['catalog', 'core']), readOnly: false },
        ],
      ]),
    );
    expect(readMcpConfig(new ConfigReader({})).endpoints).toEqual(new Map());
  });

  it.each([
    ['secrets', /"secrets" is reserved/],
    ['admin', /"admin" is reserved/],
    ['.well-known', /".well-known" is reserved/],
    ['ReadOnly', /lowercase letters, digits and dashes/],
    ['read_only', /lowercase letters, digits and dashes/],
  ])('rejects the endpoint name %s', (name, message) => {
    expect(() =>
      readEndpoints(
        mcp({ endpoints: { [name]: { readOnly: true } } }),
        MCP_TOOLSETS,
      ),
    ).toThrow(message);
  });

  it('rejects an unknown endpoint toolset', () => {
    expect(() =>
      readEndpoints(
        mcp({ endpoints: { x: { toolsets: ['wiki'] } } }),
        MCP_TOOLSETS,
      ),
    ).toThrow(/mcp\.endpoints\.x\.toolsets names unknown toolsets: wiki/);
  });

  it.each([
    [undefined, true],
    [false, false],
    [true, true],
  ])('reads mcp.enabled %s as %s', (enabled, expected) => {
    const config = readMcpConfig(
      new ConfigReader(enabled === undefined ? {} : { mcp: { enabled } }),
    );
    expect(config.enabled).toBe(expected);
  });
});
