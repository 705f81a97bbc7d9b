import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import {
  catalogEntities,
  makeEntity,
  REFS,
} from '../../__testUtils__/entities';
import { McpTool } from '../types';
import { ConfigReader } from '@backstage/config';
import { readRedactionConfig } from '../../config/redactionConfig';
import { redactResult } from '../../redaction/redactResult';
import { createCatalogGetOwnerTool } from './catalogGetOwner';
import {
  listedDefinition,
  expectEveryPropertyDescribed,
  callTool,
  expectInputIssue,
  expectUnknownKeyRejected,
} from '../../__testUtils__/toolTesting';

const credentials = mockCredentials.user('user:default/alice');

const EXTRA = [
  makeEntity({ kind: 'Component', name: 'orphan', spec: { type: 'service' } }),
  makeEntity({
    kind: 'Component',
    name: 'shared-lib',
    spec: { type: 'library' },
    relations: [
      ['ownedBy', REFS.teamA],
      ['ownedBy', REFS.teamB],
    ],
  }),
  makeEntity({
    kind: 'Component',
    name: 'haunted',
    relations: [['ownedBy', 'group:default/ghosts']],
  }),
];

function setup(extraEntities: Entity[] = EXTRA) {
  const catalog = catalogServiceMock({
    entities: [...catalogEntities(), ...extraEntities],
  });
  const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
  const tool = createCatalogGetOwnerTool({ catalog });
  return { tool, catalog, getEntitiesByRefs };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

const TEAM_A = {
  ref: REFS.teamA,
  kind: 'Group',
  display_name: 'Team A',
  description: 'Builds checkout',
  email: 'team-a@example.com',
  contacts: [
    { label: 'Team wiki', value: 'https://wiki.example.com/team-a' },
    { label: 'slack.com/channel', value: '#team-a' },
    { label: 'pagerduty.com/service-id', value: 'PTEAMA1' },
  ],
  parent: REFS.engineering,
  members: [
    {
      ref: REFS.alice,
      display_name: 'Alice Example',
      email: 'alice@example.com',
    },
    { ref: REFS.bob, display_name: 'Bob Example', email: 'bob@example.com' },
  ],
  members_total: 2,
};

describe('catalog_get_owner', () => {
  it('has a stable listed definition', () => {
    const { tool } = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual(['ref', 'max_members']);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.description).toContain('catalog_list_owned_entities');
    expect(tool.annotations.readOnlyHint).toBe(true);
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it('lists the owning group with contacts, parent and members with emails', async () => {
    const { tool } = setup();
    const result = await call(tool, { ref: 'checkout-service' });
    expect(result).toEqual({ entity: REFS.checkoutService, owners: [TEAM_A] });
  });

  it.each([
    ['a component', REFS.checkoutApi, [TEAM_A]],
    ['a system', 'system:checkout', [TEAM_A]],
    [
      'an entity owned by a user',
      'alice-scripts',
      [
        {
          ref: REFS.alice,
          kind: 'User',
          display_name: 'Alice Example',
          email: 'alice@example.com',
        },
      ],
    ],
    [
      'an entity with two owners',
      'shared-lib',
      [
        TEAM_A,
        {
          ref: REFS.teamB,
          kind: 'Group',
          display_name: 'Team B',
          parent: REFS.engineering,
          members: [
            {
              ref: REFS.alice,
              display_name: 'Alice Example',
              email: 'alice@example.com',
            },
          ],
          members_total: 1,
        },
      ],
    ],
    [
      'an entity whose owner is missing or hidden',
      'haunted',
      [{ ref: 'group:default/ghosts', missing: true }],
    ],
  ])('finds the owners of %s', async (_name, ref, owners) => {
    const { tool } = setup();
    const result = await call(tool, { ref });
    expect(result.owners).toEqual(owners);
    expect(result.truncation_hint).toBeUndefined();
  });

  it('reads the members of every owning group in one batched call', async () => {
    const { tool, getEntitiesByRefs } = setup();
    await call(tool, { ref: 'shared-lib' });
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
    const [[owners], [members]] = getEntitiesByRefs.mock.calls as any[];
    expect(owners.entityRefs).toEqual([REFS.teamA, REFS.teamB]);
    expect(members.entityRefs).toEqual([REFS.alice, REFS.bob, REFS.alice]);
    expect(members.fields).toEqual(expect.arrayContaining(['spec.profile']));
  });

  it.each([
    ['max_members 1', 1, [REFS.alice], expect.stringContaining('max_members')],
    ['max_members 2', 2, [REFS.alice, REFS.bob], undefined],
    ['max_members 0', 0, undefined, expect.stringContaining('max_members')],
  ])('lists members up to %s', async (_name, maxMembers, members, hint) => {
    const { tool, getEntitiesByRefs } = setup();
    const result = await call(tool, {
      ref: REFS.checkoutService,
      max_members: maxMembers,
    });
    const [owner] = result.owners;
    expect(owner.members?.map((m: any) => m.ref)).toEqual(members);
    expect(owner.members_total).toBe(2);
    expect(result.truncation_hint).toEqual(hint);
    // The owners come with the entity; with no members wanted, they are
    // not read at all.
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(maxMembers === 0 ? 0 : 1);
  });

  it('answers not found for an entity without an owner, pointing to catalog_get_entity', async () => {
    const { tool, getEntitiesByRefs } = setup();
    const error = await call(tool, { ref: 'orphan' }).catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toContain('component:default/orphan has no owner');
    expect(error.message).toContain('catalog_get_entity');
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it('answers not found for an unknown entity, pointing to catalog_search', async () => {
    const { tool } = setup();
    const error = await call(tool, { ref: 'component:default/nope' }).catch(
      e => e,
    );
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toContain('component:default/nope');
    expect(error.message).toContain('catalog_search');
  });

  it("passes the caller's credentials to every catalog call", async () => {
    const byRef = new Map(
      catalogEntities().map(e => [
        `${e.kind.toLowerCase()}:default/${e.metadata.name}`,
        e,
      ]),
    );
    const catalog = catalogServiceMock.mock({
      getEntities: async () => ({
        items: [byRef.get(REFS.checkoutService)!, byRef.get(REFS.teamA)!],
      }),
      getEntitiesByRefs: async ({ entityRefs }) => ({
        items: entityRefs.map(ref => byRef.get(ref)),
      }),
    });
    const tool = createCatalogGetOwnerTool({ catalog });
    const result = await call(tool, { ref: REFS.checkoutService });
    expect(result.owners).toEqual([TEAM_A]);
    // The entity and its owners in one read, then the members.
    expect(catalog.getEntities).toHaveBeenCalledTimes(1);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: [
          {
            kind: 'component',
            'metadata.namespace': 'default',
            'metadata.name': 'checkout-service',
          },
          { 'relations.ownerof': REFS.checkoutService },
        ],
      }),
      expect.objectContaining({ credentials }),
    );
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledWith(
      expect.objectContaining({ fields: expect.arrayContaining(['kind']) }),
      expect.objectContaining({ credentials }),
    );
  });

  it('never shows the owners of an entity the caller may not read', async () => {
    const teamA = catalogEntities().find(e => e.metadata.name === 'team-a')!;
    // The catalog answers the owner (readable) but not the entity (hidden).
    const catalog = catalogServiceMock.mock({
      getEntities: async () => ({ items: [teamA] }),
      getEntityByRef: async () => undefined,
    });
    const tool = createCatalogGetOwnerTool({ catalog });
    const error = await call(tool, { ref: REFS.checkoutService }).catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toContain('or you may not read it');
    expect(error.message).not.toContain('team-a');
  });

  it.each([
    ['a missing ref', {}, ['ref']],
    ['negative max_members', { ref: 'a', max_members: -1 }, ['max_members']],
    ['max_members above 200', { ref: 'a', max_members: 201 }, ['max_members']],
    ['a string max_members', { ref: 'a', max_members: '5' }, ['max_members']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { ref: 'a', include_members: true },
      'include_members',
    );
  });
});

describe('catalog_get_owner under field restrictions', () => {
  it('declares where profile emails and contact annotations reappear, so none leaks', async () => {
    const { tool } = setup();
    const result = await call(tool, { ref: 'checkout-service' });
    expect(JSON.stringify(result)).toContain('@example.com');
    const rules = readRedactionConfig(
      new ConfigReader({
        redaction: {
          fields: [{ path: 'spec.profile.email' }],
          annotationPatterns: [{ pattern: '*slack*', action: 'mask' }],
        },
      }),
    ).global;
    const { value, paths } = redactResult(result, rules, tool.redactionAliases);
    expect(JSON.stringify(value)).not.toContain('@example.com');
    expect(value.owners[0].members.length).toBeGreaterThan(0);
    const slack = value.owners[0].contacts.find((c: any) =>
      /slack/.test(c.label),
    );
    expect(slack.value).toBe('[redacted]');
    expect(paths).toEqual(expect.arrayContaining(['spec.profile.email']));
    expect(tool.outputSchema.safeParse(value).success).toBe(true);
  });
});
