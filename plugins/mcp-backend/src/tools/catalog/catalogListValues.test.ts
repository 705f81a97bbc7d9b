import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import { catalogEntities, REFS } from '../../__testUtils__/entities';
import { McpTool } from '../types';
import { createCatalogListValuesTool } from './catalogListValues';
import {
  listedDefinition,
  expectEveryPropertyDescribed,
  callTool,
  expectInputIssue,
  expectUnknownKeyRejected,
} from '../../__testUtils__/toolTesting';

const credentials = mockCredentials.user('user:default/alice');

function setup() {
  const catalog = catalogServiceMock({ entities: catalogEntities() });
  const getEntityFacets = jest.spyOn(catalog, 'getEntityFacets');
  const tool = createCatalogListValuesTool({ catalog });
  return { tool, catalog, getEntityFacets };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

describe('catalog_list_values', () => {
  it('has a stable listed definition', () => {
    const { tool } = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual(['field', 'kind', 'limit']);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.description).toContain('catalog_search');
    expect(tool.annotations.readOnlyHint).toBe(true);
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it.each([
    [
      'kinds, most common first, ties by name',
      { field: 'kind' },
      [
        { value: 'Component', count: 3 },
        { value: 'Group', count: 3 },
        { value: 'API', count: 2 },
        { value: 'User', count: 2 },
        { value: 'Resource', count: 1 },
        { value: 'System', count: 1 },
      ],
    ],
    [
      'component types',
      { field: 'spec.type', kind: ['Component'] },
      [
        { value: 'service', count: 2 },
        { value: 'library', count: 1 },
      ],
    ],
    [
      'tags',
      { field: 'metadata.tags' },
      [
        { value: 'checkout', count: 1 },
        { value: 'java', count: 1 },
      ],
    ],
    [
      'owners',
      { field: 'relations.ownedBy' },
      [
        { value: REFS.teamA, count: 4 },
        { value: REFS.teamB, count: 2 },
        { value: REFS.alice, count: 1 },
      ],
    ],
    ['a field nobody sets', { field: 'spec.nothing' }, []],
  ])('lists %s', async (_name, args, values) => {
    const { tool } = setup();
    const result = await call(tool, args);
    expect(result).toEqual({
      field: args.field,
      values,
      total_values: values.length,
    });
  });

  it.each([
    [
      'above the limit',
      2,
      2,
      expect.stringMatching(/4 less common values were left out.*raise limit/),
    ],
    ['at the limit', 6, 6, undefined],
  ])('cuts the values %s with a hint', async (_name, limit, shown, hint) => {
    const { tool } = setup();
    const result = await call(tool, { field: 'kind', limit });
    expect(result.values).toHaveLength(shown);
    expect(result.values[0]).toEqual({ value: 'Component', count: 3 });
    expect(result.total_values).toBe(6);
    expect(result.truncation_hint).toEqual(hint);
  });

  it.each([
    [
      'without kinds',
      { field: 'spec.lifecycle' },
      { facets: ['spec.lifecycle'], filter: undefined },
    ],
    [
      'with kinds',
      { field: 'spec.lifecycle', kind: ['Component', 'API'] },
      { facets: ['spec.lifecycle'], filter: { kind: ['Component', 'API'] } },
    ],
  ])(
    'asks the catalog for one facet, as the caller, %s',
    async (_name, args, request) => {
      const catalog = catalogServiceMock.mock({
        // The catalog may leave out a facet it has no values for.
        getEntityFacets: async () => ({ facets: {} }),
      });
      const tool = createCatalogListValuesTool({ catalog });
      const result = await call(tool, args);
      expect(result).toEqual({
        field: 'spec.lifecycle',
        values: [],
        total_values: 0,
      });
      expect(catalog.getEntityFacets).toHaveBeenCalledTimes(1);
      expect(catalog.getEntityFacets).toHaveBeenCalledWith(
        request,
        expect.objectContaining({ credentials }),
      );
    },
  );

  it.each([
    ['a missing field', {}, ['field']],
    ['an empty field', { field: '' }, ['field']],
    ['a too long field', { field: 'x'.repeat(201) }, ['field']],
    ['a limit of 0', { field: 'kind', limit: 0 }, ['limit']],
    ['a limit above 500', { field: 'kind', limit: 501 }, ['limit']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { field: 'kind', facet: 'kind' },
      'facet',
    );
  });
});
