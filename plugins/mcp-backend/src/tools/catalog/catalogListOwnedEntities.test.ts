import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import { catalogEntities, REFS } from '../../__testUtils__/entities';
import { readMcpConfig } from '../../config';
import { ENTITY_SUMMARY_FIELDS } from '../shared/entitySummary';
import { McpTool } from '../types';
import { createCatalogListOwnedEntitiesTool } from './catalogListOwnedEntities';
import {
  listedDefinition,
  expectEveryPropertyDescribed,
  callTool,
  expectInputIssue,
  expectUnknownKeyRejected,
} from '../../__testUtils__/toolTesting';

const config = readMcpConfig(new ConfigReader({}));
const credentials = mockCredentials.user('user:default/alice');

function setup() {
  const catalog = catalogServiceMock({ entities: catalogEntities() });
  const spies = {
    queryEntities: jest.spyOn(catalog, 'queryEntities'),
    getEntityFacets: jest.spyOn(catalog, 'getEntityFacets'),
    getEntities: jest.spyOn(catalog, 'getEntities'),
    getEntityByRef: jest.spyOn(catalog, 'getEntityByRef'),
  };
  const tool = createCatalogListOwnedEntitiesTool({ catalog, config });
  return { tool, catalog, ...spies };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

const refs = (result: { items: { ref: string }[] }) =>
  result.items.map(i => i.ref);

const TEAM_A_OWNS = [
  REFS.checkoutApi,
  REFS.checkoutService,
  REFS.checkoutDb,
  REFS.checkoutSystem,
];

describe('catalog_list_owned_entities', () => {
  it('has a stable listed definition', () => {
    const { tool } = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'owner',
      'include_groups',
      'kind',
      'limit',
      'cursor',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.include_groups.default).toBe(true);
    expect(tool.description).toContain('catalog_get_owner');
    expect(tool.annotations.readOnlyHint).toBe(true);
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it.each([
    [
      'a group by name',
      { owner: 'team-a' },
      [REFS.teamA],
      TEAM_A_OWNS,
      { API: 1, Component: 1, Resource: 1, System: 1 },
    ],
    [
      'a group by ref, ignoring include_groups',
      { owner: 'group:default/team-b', include_groups: true },
      [REFS.teamB],
      [REFS.paymentApi, REFS.paymentService],
      { API: 1, Component: 1 },
    ],
    [
      'a user with what their groups own',
      { owner: 'user:default/alice' },
      [REFS.alice, REFS.teamA, REFS.teamB],
      [
        REFS.checkoutApi,
        REFS.paymentApi,
        REFS.aliceScripts,
        REFS.checkoutService,
        REFS.paymentService,
        REFS.checkoutDb,
        REFS.checkoutSystem,
      ],
      { API: 2, Component: 3, Resource: 1, System: 1 },
    ],
    [
      'a user by bare name (no group of that name exists)',
      { owner: 'bob' },
      [REFS.bob, REFS.teamA],
      TEAM_A_OWNS,
      { API: 1, Component: 1, Resource: 1, System: 1 },
    ],
    [
      'a user without their groups',
      { owner: 'user:alice', include_groups: false },
      [REFS.alice],
      [REFS.aliceScripts],
      { Component: 1 },
    ],
    [
      'a group, of one kind only',
      { owner: 'team-a', kind: ['API'] },
      [REFS.teamA],
      [REFS.checkoutApi],
      { API: 1 },
    ],
    [
      'an owner of nothing',
      { owner: 'engineering' },
      [REFS.engineering],
      [],
      {},
    ],
  ])(
    'lists what %s owns, ordered by kind, with counts',
    async (_name, args, owners, items, counts) => {
      const { tool } = setup();
      const result = await call(tool, args);
      expect(result.owners).toEqual(owners);
      expect(refs(result)).toEqual(items);
      expect(result.counts_by_kind).toEqual(counts);
      expect(result.total_count).toBe(items.length);
      expect(result.next_cursor).toBeUndefined();
      expect(result.truncation_hint).toBeUndefined();
    },
  );

  it('returns concise summaries', async () => {
    const { tool } = setup();
    const result = await call(tool, {
      owner: 'user:alice',
      include_groups: false,
    });
    expect(result.items).toEqual([
      {
        ref: REFS.aliceScripts,
        kind: 'Component',
        name: 'alice-scripts',
        type: 'library',
        lifecycle: 'experimental',
        owner: REFS.alice,
      },
    ]);
  });

  it('asks the catalog for the owners and kinds as one filter, for items and counts alike', async () => {
    const { tool, queryEntities, getEntityFacets } = setup();
    await call(tool, { owner: 'alice', kind: ['Component', 'API'], limit: 7 });
    const filter = {
      'relations.ownedBy': [REFS.alice, REFS.teamA, REFS.teamB],
      kind: ['Component', 'API'],
    };
    expect(queryEntities).toHaveBeenCalledWith(
      {
        filter,
        orderFields: [{ field: 'kind', order: 'asc' }],
        limit: 7,
        fields: ENTITY_SUMMARY_FIELDS,
      },
      { credentials },
    );
    expect(getEntityFacets).toHaveBeenCalledWith(
      { facets: ['kind'], filter },
      { credentials },
    );
  });

  it('pages with the catalog cursor, without resolving the owner again', async () => {
    const {
      tool,
      queryEntities,
      getEntityFacets,
      getEntities,
      getEntityByRef,
    } = setup();
    const first = await call(tool, { owner: 'user:default/alice', limit: 4 });
    expect(first.items).toHaveLength(4);
    expect(first.total_count).toBe(7);
    expect(first.truncation_hint).toContain('catalog_list_owned_entities');
    expect(first.truncation_hint).toContain('cursor=next_cursor');
    expect(getEntityByRef).toHaveBeenCalledTimes(1);

    const second = await call(tool, {
      owner: 'user:default/alice',
      cursor: first.next_cursor,
      limit: 4,
    });
    expect(refs(second)).toEqual([
      REFS.paymentService,
      REFS.checkoutDb,
      REFS.checkoutSystem,
    ]);
    // Owners and counts come with the first page only.
    expect(second.owners).toBeUndefined();
    expect(second.counts_by_kind).toBeUndefined();
    expect(second.next_cursor).toBeUndefined();
    expect(queryEntities).toHaveBeenLastCalledWith(
      { cursor: first.next_cursor, limit: 4, fields: ENTITY_SUMMARY_FIELDS },
      { credentials },
    );
    expect(getEntityFacets).toHaveBeenCalledTimes(1);
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
    expect(getEntities).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown group', 'group:default/nope', 'group:default/nope'],
    ['an unknown bare name', 'nope', 'group:default/nope'],
  ])(
    'answers not found for %s, pointing to catalog_search',
    async (_name, owner, shown) => {
      const { tool, queryEntities, getEntityFacets } = setup();
      const error = await call(tool, { owner }).catch(e => e);
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toContain(shown);
      expect(error.message).toContain('catalog_search');
      expect(queryEntities).not.toHaveBeenCalled();
      expect(getEntityFacets).not.toHaveBeenCalled();
    },
  );

  it("passes the caller's credentials to every catalog call", async () => {
    const alice = catalogEntities().find(e => e.metadata.name === 'alice')!;
    const catalog = catalogServiceMock.mock({
      getEntities: async () => ({ items: [alice] }),
      queryEntities: async () => ({ items: [], totalItems: 0, pageInfo: {} }),
      getEntityFacets: async () => ({
        facets: { kind: [{ value: 'Component', count: 2 }] },
      }),
    });
    const tool = createCatalogListOwnedEntitiesTool({ catalog, config });
    const result = await call(tool, { owner: 'alice' });
    expect(result.counts_by_kind).toEqual({ Component: 2 });
    for (const method of [
      catalog.getEntities,
      catalog.queryEntities,
      catalog.getEntityFacets,
    ]) {
      expect(method).toHaveBeenCalledTimes(1);
      expect(method).toHaveBeenCalledWith(
        expect.anything(),
        expect.objectContaining({ credentials }),
      );
    }
  });

  it.each([
    ['a missing owner', {}, ['owner']],
    ['a limit of 0', { owner: 'a', limit: 0 }, ['limit']],
    [
      'a limit above the maximum',
      { owner: 'a', limit: config.results.maxPageSize + 1 },
      ['limit'],
    ],
    [
      'include_groups as a string',
      { owner: 'a', include_groups: 'yes' },
      ['include_groups'],
    ],
    ['an empty kind', { owner: 'a', kind: [''] }, ['kind', 0]],
    [
      'more than 20 kinds',
      { owner: 'a', kind: Array(21).fill('API') },
      ['kind'],
    ],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { owner: 'a', ref: 'b' }, 'ref');
  });
});
