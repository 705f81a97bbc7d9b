import { McpToolResource } from '@backstage-mcp/plugin-mcp-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { z } from 'zod';
import { mcpToolConditions } from '../conditions';
import { mcpToolRules } from './index';
import { isInToolset } from './isInToolset';
import { isReadOnlyTool } from './isReadOnlyTool';
import { isToolName } from './isToolName';

const search: McpToolResource = {
  name: 'catalog_search',
  toolset: 'catalog',
  readOnly: true,
};
const refresh: McpToolResource = {
  name: 'catalog_refresh_entity',
  toolset: 'catalog',
  readOnly: false,
};
const whoami: McpToolResource = {
  name: 'whoami',
  toolset: 'core',
  readOnly: true,
};

const ruleset = {
  getRuleByName: (name: string) =>
    Object.values(mcpToolRules).find(r => r.name === name)!,
};

describe('mcp-tool permission rules', () => {
  it('are three rules over the mcp-tool resource type, with unique names', () => {
    const rules = Object.values(mcpToolRules);
    expect(rules.map(r => r.name)).toEqual([
      'IS_TOOL_NAME',
      'IS_IN_TOOLSET',
      'IS_READ_ONLY_TOOL',
    ]);
    for (const rule of rules) {
      expect(rule.resourceType).toBe('mcp-tool');
      expect(rule.description).toMatch(/^Allow only the MCP tools/);
    }
  });

  it.each([
    [
      'IS_TOOL_NAME matches a listed name',
      () => isToolName.apply(search, { names: ['whoami', 'catalog_search'] }),
      true,
    ],
    [
      'IS_TOOL_NAME does not match another name',
      () => isToolName.apply(refresh, { names: ['catalog_search'] }),
      false,
    ],
    [
      'IS_TOOL_NAME matches names exactly',
      () => isToolName.apply(search, { names: ['catalog_'] }),
      false,
    ],
    [
      'IS_TOOL_NAME with no names matches nothing',
      () => isToolName.apply(search, { names: [] }),
      false,
    ],
    [
      'IS_IN_TOOLSET matches a listed toolset',
      () => isInToolset.apply(search, { toolsets: ['api', 'catalog'] }),
      true,
    ],
    [
      'IS_IN_TOOLSET does not match another toolset',
      () => isInToolset.apply(whoami, { toolsets: ['catalog'] }),
      false,
    ],
    [
      'IS_READ_ONLY_TOOL matches a reading tool',
      () => isReadOnlyTool.apply(search, undefined),
      true,
    ],
    [
      'IS_READ_ONLY_TOOL does not match a writing tool',
      () => isReadOnlyTool.apply(refresh, undefined),
      false,
    ],
  ])('%s', (_name, apply, expected) => {
    expect(apply()).toBe(expected);
  });

  it.each([
    [
      'IS_TOOL_NAME',
      () => isToolName.toQuery({ names: ['whoami'] }),
      { property: 'name', values: ['whoami'] },
    ],
    [
      'IS_IN_TOOLSET',
      () => isInToolset.toQuery({ toolsets: ['api'] }),
      { property: 'toolset', values: ['api'] },
    ],
    [
      'IS_READ_ONLY_TOOL',
      () => isReadOnlyTool.toQuery(undefined),
      { property: 'readOnly', values: [true] },
    ],
  ])(
    '%s has a query form over the same property',
    (_name, toQuery, expected) => {
      expect(toQuery()).toEqual(expected);
    },
  );

  it.each([
    [
      'isToolName',
      () => mcpToolConditions.isToolName({ names: ['whoami'] }),
      'IS_TOOL_NAME',
      { names: ['whoami'] },
    ],
    [
      'isInToolset',
      () => mcpToolConditions.isInToolset({ toolsets: ['catalog'] }),
      'IS_IN_TOOLSET',
      { toolsets: ['catalog'] },
    ],
    [
      'isReadOnlyTool',
      () => mcpToolConditions.isReadOnlyTool(),
      'IS_READ_ONLY_TOOL',
      undefined,
    ],
  ])(
    'exports the %s condition for policy authors',
    (_name, condition, rule, params) => {
      expect(condition()).toEqual({ rule, resourceType: 'mcp-tool', params });
    },
  );

  it.each([
    [
      'names that are not a list',
      {
        rule: 'IS_TOOL_NAME',
        resourceType: 'mcp-tool',
        params: { names: 'whoami' },
      },
    ],
    [
      'a missing toolsets parameter',
      { rule: 'IS_IN_TOOLSET', resourceType: 'mcp-tool', params: {} },
    ],
  ])('rejects conditions with %s', (_name, condition) => {
    const authorize = createConditionAuthorizer(ruleset);
    const decision: PolicyDecision = {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'mcp',
      resourceType: 'mcp-tool',
      conditions: condition as any,
    };
    expect(() => authorize(decision, search)).toThrow(
      'Parameters to rule are invalid',
    );
  });

  it.each([
    ['IS_TOOL_NAME', isToolName.paramsSchema, 'names', 'catalog_search'],
    ['IS_IN_TOOLSET', isInToolset.paramsSchema, 'toolsets', 'catalog'],
  ])(
    '%s describes its parameters for policy authors',
    (_name, schema, param, example) => {
      expect(z.toJSONSchema(schema as z.ZodType)).toMatchObject({
        type: 'object',
        required: [param],
        properties: {
          [param]: {
            type: 'array',
            items: { type: 'string' },
            description: expect.stringContaining(example),
          },
        },
      });
    },
  );

  it('IS_READ_ONLY_TOOL takes no parameters', () => {
    expect(isReadOnlyTool.paramsSchema).toBeUndefined();
  });
});
