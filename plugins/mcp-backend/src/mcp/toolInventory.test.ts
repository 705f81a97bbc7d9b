import {
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { nativeToolsForTests } from '../__testUtils__/nativeTools';
import { readOnlyAnnotations } from '../tools/annotations';
import { defineTool, McpTool } from '../tools/types';
import { ServedTool, prepareTool, ToolInventory } from './toolInventory';

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

describe('ToolInventory', () => {
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
    expect(() => ToolInventory.of([fakeTool(name)])).toThrow(
      `Tool name "${name}" must match`,
    );
  });

  it.each([['a'], ['whoami'], ['catalog_get_entity'], [`a${'b'.repeat(63)}`]])(
    'accepts the tool name %p',
    name => {
      expect(ToolInventory.of([fakeTool(name)]).get(name)?.tool.name).toBe(
        name,
      );
    },
  );

  it('rejects a tool defined twice', () => {
    expect(() =>
      ToolInventory.of([
        fakeTool('catalog_search'),
        fakeTool('whoami'),
        fakeTool('catalog_search'),
      ]),
    ).toThrow('Tool "catalog_search" is defined twice');
  });

  it('keeps the listing order and finds tools by name', () => {
    const inventory = ToolInventory.of([
      fakeTool('b_tool'),
      fakeTool('a_tool'),
      fakeTool('c_tool'),
    ]);
    expect(inventory.tools.map(t => t.tool.name)).toEqual([
      'b_tool',
      'a_tool',
      'c_tool',
    ]);
    expect(inventory.get('a_tool')?.listed.name).toBe('a_tool');
    expect(inventory.get('nope')).toBeUndefined();
  });

  it('follows a list that changes at runtime, in every subset, preparing each change once', () => {
    let bridged: readonly ServedTool[] = [];
    const inventory = ToolInventory.of([fakeTool('a_tool')]).concat(
      () => bridged,
    );
    const readOnly = inventory.subset(
      entry => entry.tool.annotations.readOnlyHint,
    );
    expect(inventory.tools.map(t => t.tool.name)).toEqual(['a_tool']);
    const before = readOnly.tools;
    expect(readOnly.tools).toBe(before);

    bridged = [
      prepareTool(fakeTool('x_reader')),
      prepareTool(
        fakeTool('x_writer', {
          annotations: { ...readOnlyAnnotations, readOnlyHint: false },
        }),
      ),
    ];
    expect(inventory.tools.map(t => t.tool.name)).toEqual([
      'a_tool',
      'x_reader',
      'x_writer',
    ]);
    expect(inventory.get('x_writer')?.listed.name).toBe('x_writer');
    expect(readOnly.tools.map(t => t.tool.name)).toEqual([
      'a_tool',
      'x_reader',
    ]);
    expect(readOnly.get('x_writer')).toBeUndefined();
    const after = readOnly.tools;
    expect(readOnly.tools).toBe(after);

    bridged = [];
    expect(readOnly.tools.map(t => t.tool.name)).toEqual(['a_tool']);
    expect(inventory.get('x_reader')).toBeUndefined();
  });

  it('lists a tool with its JSON Schemas, without $schema, and the hints that mean something', () => {
    const [entry] = ToolInventory.of([fakeTool('catalog_search')]).tools;
    expect(entry.listed).toEqual({
      name: 'catalog_search',
      title: 'Title of catalog_search',
      description: 'Description of catalog_search',
      inputSchema: {
        type: 'object',
        properties: {
          // Limits the server enforces (minLength) and zod's safe-integer
          // bounds are not listed.
          ref: { type: 'string', description: 'An entity ref' },
          limit: { type: 'integer', default: 20, description: 'Page size' },
        },
        // io "input": a field with a default is optional for the caller.
        // Unknown keys are refused with their names, not listed as refused.
        required: ['ref'],
      },
      outputSchema: {
        type: 'object',
        properties: {
          items: { type: 'array', items: { type: 'string' } },
          note: { type: 'string' },
        },
        required: ['items'],
      },
      // The title is listed once; a read-only tool's destructive and
      // idempotent hints mean nothing.
      annotations: { readOnlyHint: true, openWorldHint: false },
    });
    expect(entry.listed.inputSchema).not.toHaveProperty('$schema');
    expect(entry.listed.outputSchema).not.toHaveProperty('$schema');
  });

  it('lists every hint of a tool that writes', () => {
    const writes = {
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: false,
    };
    const [entry] = ToolInventory.of([
      fakeTool('catalog_unregister', { annotations: writes }),
    ]).tools;
    expect(entry.listed.annotations).toEqual(writes);
  });

  it("keeps the dialect and the JSON Schema keywords a tool states in its schema's metadata", () => {
    const dialect = 'https://json-schema.org/draft/2020-12/schema';
    const stated = {
      $schema: dialect,
      $defs: { address: { $anchor: 'addressDef', type: 'object' } },
      if: { required: ['phone'] },
      then: { required: ['email'] },
    };
    const tool = fakeTool('stated_schema', {
      inputSchema: z.object({ phone: z.string().optional() }).meta(stated),
    });
    const { inputSchema, outputSchema } = ToolInventory.of([tool]).get(
      'stated_schema',
    )!.listed;
    expect(inputSchema).toMatchObject({
      ...stated,
      type: 'object',
      properties: { phone: { type: 'string' } },
    });
    expect(outputSchema).not.toHaveProperty('$schema');
  });

  it('derives the permission resource and downstream permission names', () => {
    const inventory = ToolInventory.of([
      fakeTool('catalog_search'),
      fakeTool('catalog_refresh_entity', {
        annotations: { ...readOnlyAnnotations, readOnlyHint: false },
        downstreamPermissions: [
          catalogEntityReadPermission,
          catalogEntityRefreshPermission,
        ],
      }),
    ]);
    expect(
      inventory.tools.map(t => [t.resource, t.downstreamPermissionNames]),
    ).toEqual([
      [
        { name: 'catalog_search', toolset: 'catalog', readOnly: true },
        ['catalog.entity.read'],
      ],
      [
        { name: 'catalog_refresh_entity', toolset: 'catalog', readOnly: false },
        ['catalog.entity.read', 'catalog.entity.refresh'],
      ],
    ]);
    expect(inventory.downstreamPermissions().map(p => p.name)).toEqual([
      'catalog.entity.read',
      'catalog.entity.refresh',
    ]);
  });

  it('builds JSON Schemas of object type for the real tools', () => {
    const inventory = ToolInventory.of(nativeToolsForTests());
    expect(inventory.tools.length).toBeGreaterThanOrEqual(8);
    for (const { listed } of inventory.tools) {
      for (const schema of [listed.inputSchema, listed.outputSchema]) {
        expect({
          tool: listed.name,
          type: schema.type,
          hasSchemaKey: '$schema' in schema,
        }).toEqual({
          tool: listed.name,
          type: 'object',
          hasSchemaKey: false,
        });
      }
    }
  });
});
