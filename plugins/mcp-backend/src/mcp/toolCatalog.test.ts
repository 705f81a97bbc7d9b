import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogEntityReadPermission, catalogEntityRefreshPermission } from '@backstage/plugin-catalog-common/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import { readMcpConfig } from '../config';
import { createTools } from '../tools';
import { readOnlyAnnotations } from '../tools/annotations';
import { defineTool, McpTool } from '../tools/types';
import { ToolCatalog } from './toolCatalog';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { templateRunsForTests } from '../__testUtils__/templateRuns';

function fakeTool(name: string, overrides: Partial<McpTool> = {}): McpTool {
  return {
    ...defineTool({
      name,
      title: `Title of ${name}`,
      toolset: 'catalog',
      description: `Description of ${name}`,
      inputSchema: z.strictObject({
        ref: z.string().min(1).describe('An entity ref'),
        limit: z.number().int().default(20).describe('Page size'),
      }),
      outputSchema: z.object({
        items: z.array(z.string()),
        note: z.string().optional(),
      }),
      downstreamPermissions: [catalogEntityReadPermission],
      annotations: readOnlyAnnotations,
      handle: async () => ({ items: [] }),
    }),
    ...overrides,
  };
}

describe('ToolCatalog', () => {
  it.each([
    ['upper case', 'Catalog_search'],
    ['a dash', 'catalog-search'],
    ['a leading digit', '1catalog'],
    ['a leading underscore', '_catalog'],
    ['a dot', 'catalog.search'],
    ['a space', 'catalog search'],
    ['no characters', ''],
    ['more than 64 characters', `a${'b'.repeat(64)}`],
  ])('rejects a tool name with %s', (_name, name) => {
    expect(() => new ToolCatalog([fakeTool(name)])).toThrow(`Tool name "${name}" must match`);
  });

  it.each([['a'], ['whoami'], ['catalog_get_entity'], [`a${'b'.repeat(63)}`]])(
    'accepts the tool name %p',
    name => {
      expect(new ToolCatalog([fakeTool(name)]).get(name)?.tool.name).toBe(name);
    },
  );

  it('rejects a tool defined twice', () => {
    expect(() => new ToolCatalog([fakeTool('catalog_search'), fakeTool('whoami'), fakeTool('catalog_search')])).toThrow(
      'Tool "catalog_search" is defined twice',
    );
  });

  it('keeps the listing order and finds tools by name', () => {
    const catalog = new ToolCatalog([fakeTool('b_tool'), fakeTool('a_tool'), fakeTool('c_tool')]);
    expect(catalog.tools.map(t => t.tool.name)).toEqual(['b_tool', 'a_tool', 'c_tool']);
    expect(catalog.get('a_tool')?.listed.name).toBe('a_tool');
    expect(catalog.get('nope')).toBeUndefined();
  });

  it('lists a tool with its JSON Schemas, without $schema, and annotations with the title', () => {
    const [entry] = new ToolCatalog([fakeTool('catalog_search')]).tools;
    expect(entry.listed).toEqual({
      name: 'catalog_search',
      title: 'Title of catalog_search',
      description: 'Description of catalog_search',
      inputSchema: {
        type: 'object',
        properties: {
          ref: { type: 'string', minLength: 1, description: 'An entity ref' },
          limit: {
            type: 'integer',
            default: 20,
            description: 'Page size',
            minimum: expect.any(Number),
            maximum: expect.any(Number),
          },
        },
        // io "input": a field with a default is optional for the caller.
        required: ['ref'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: {
          items: { type: 'array', items: { type: 'string' } },
          note: { type: 'string' },
        },
        required: ['items'],
        additionalProperties: false,
      },
      annotations: { title: 'Title of catalog_search', ...readOnlyAnnotations },
    });
    expect(entry.listed.inputSchema).not.toHaveProperty('$schema');
    expect(entry.listed.outputSchema).not.toHaveProperty('$schema');
  });

  it('keeps the dialect and the JSON Schema keywords a tool states in its schema\'s metadata', () => {
    const dialect = 'https://json-schema.org/draft/2020-12/schema';
    const stated = {
      $schema: dialect,
      $defs: { address: { $anchor: 'addressDef', type: 'object' } },
      if: { required: ['phone'] },
      then: { required: ['email'] },
    };
    const tool = fakeTool('stated_schema', { inputSchema: z.object({ phone: z.string().optional() }).meta(stated) });
    const { inputSchema, outputSchema } = new ToolCatalog([tool]).get('stated_schema')!.listed;
    expect(inputSchema).toMatchObject({ ...stated, type: 'object', properties: { phone: { type: 'string' } } });
    expect(outputSchema).not.toHaveProperty('$schema');
  });

  it('derives the permission resource and downstream permission names', () => {
    const catalog = new ToolCatalog([
      fakeTool('catalog_search'),
      fakeTool('catalog_refresh_entity', {
        annotations: { ...readOnlyAnnotations, readOnlyHint: false },
        downstreamPermissions: [catalogEntityReadPermission, catalogEntityRefreshPermission],
      }),
    ]);
    expect(catalog.tools.map(t => [t.resource, t.downstreamPermissionNames])).toEqual([
      [{ name: 'catalog_search', toolset: 'catalog', readOnly: true }, ['catalog.entity.read']],
      [
        { name: 'catalog_refresh_entity', toolset: 'catalog', readOnly: false },
        ['catalog.entity.read', 'catalog.entity.refresh'],
      ],
    ]);
    expect(catalog.downstreamPermissions().map(p => p.name)).toEqual([
      'catalog.entity.read',
      'catalog.entity.refresh',
    ]);
  });

  it('builds JSON Schemas of object type for the real tools', () => {
    const catalog = new ToolCatalog(
      createTools({
        config: readMcpConfig(new ConfigReader({})),
        catalog: catalogServiceMock(),
        scaffolder: scaffolderServiceMock.mock(),
        userInfo: mockServices.userInfo(),
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
        serverInfo: { name: 'backstage-mcp', version: '0.0.0' },
        templateRuns: templateRunsForTests(),
      }),
    );
    expect(catalog.tools.length).toBeGreaterThanOrEqual(8);
    for (const { listed } of catalog.tools) {
      for (const schema of [listed.inputSchema, listed.outputSchema]) {
        expect({ tool: listed.name, type: schema.type, hasSchemaKey: '$schema' in schema }).toEqual({
          tool: listed.name,
          type: 'object',
          hasSchemaKey: false,
        });
      }
    }
  });
});
