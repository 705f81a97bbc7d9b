import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import { catalogEntities, REFS } from '../../__testUtils__/entities';
import { McpTool } from '../types';
import { createCatalogRefreshEntityTool } from './catalogRefreshEntity';
import {
  listedDefinition,
  callTool,
  expectInputIssue,
  expectUnknownKeyRejected,
} from '../../__testUtils__/toolTesting';

const credentials = mockCredentials.user('user:default/alice');

function setup() {
  const catalog = catalogServiceMock({ entities: catalogEntities() });
  const refreshEntity = jest.spyOn(catalog, 'refreshEntity');
  const tool = createCatalogRefreshEntityTool({ catalog });
  return { tool, catalog, refreshEntity };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

describe('catalog_refresh_entity', () => {
  it('has a stable listed definition', () => {
    const { tool } = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes its input, rejects unknown keys and declares that it writes', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual(['ref']);
    expect(schema.properties.ref.description).toContain(
      '[kind:][namespace/]name',
    );
    expect(schema.additionalProperties).toBe(false);
    expect(tool.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
      'catalog.entity.refresh',
    ]);
    expect(tool.description).toContain('catalog_get_entity');
  });

  it.each([
    ['a full ref', REFS.checkoutService, REFS.checkoutService],
    ['a bare component name', 'checkout-service', REFS.checkoutService],
    ['a bare name of another kind', 'checkout-db', REFS.checkoutDb],
    ['a ref without namespace', 'API:checkout-api', REFS.checkoutApi],
  ])(
    'schedules a refresh of %s by its full ref',
    async (_name, ref, expected) => {
      const { tool, refreshEntity } = setup();
      const result = await call(tool, { ref });
      expect(result).toEqual({
        ref: expected,
        refresh_scheduled: true,
        next_step: `Call catalog_get_entity {"ref": "${expected}"} in a few seconds to see the refreshed entity`,
      });
      expect(refreshEntity).toHaveBeenCalledTimes(1);
      expect(refreshEntity).toHaveBeenCalledWith(expected, { credentials });
    },
  );

  it.each([
    ['an unknown ref', 'component:default/nope', 'component:default/nope'],
    ['an unknown bare name', 'nope', 'component:default/nope'],
  ])(
    'answers not found for %s without refreshing anything',
    async (_name, ref, shown) => {
      const { tool, refreshEntity } = setup();
      const error = await call(tool, { ref }).catch(e => e);
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toContain(shown);
      expect(error.message).toContain('catalog_search');
      expect(refreshEntity).not.toHaveBeenCalled();
    },
  );

  it("passes the caller's credentials and leaves the refresh decision to the catalog", async () => {
    const entity = catalogEntities().find(
      e => e.metadata.name === 'checkout-service',
    )!;
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async () => entity,
      refreshEntity: async () => {
        throw new NotAllowedError('Unauthorized to refresh');
      },
    });
    const tool = createCatalogRefreshEntityTool({ catalog });
    await expect(
      call(tool, { ref: REFS.checkoutService }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ credentials }),
    );
    expect(catalog.refreshEntity).toHaveBeenCalledWith(
      REFS.checkoutService,
      expect.objectContaining({ credentials }),
    );
  });

  it.each([
    ['a missing ref', {}, ['ref']],
    ['an empty ref', { ref: '' }, ['ref']],
    ['a list of refs', { ref: ['a', 'b'] }, ['ref']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { ref: 'a', force: true }, 'force');
  });
});
