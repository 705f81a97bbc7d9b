import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createQualityCheckEntityTool } from './qualityCheckEntityTool';

const cart = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-service',
    namespace: 'default',
    description: 'Carts.',
    tags: ['node'],
    annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'checkout-team' },
};
const team = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'checkout-team', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

const call = (entities: any[], ref: string) =>
  createQualityCheckEntityTool({
    catalog: catalogServiceMock({ entities }),
  }).handle(
    { ref },
    {
      credentials: mockCredentials.user(),
      caller: mockCredentials.user(),
      listAllowedToolNames: () => [],
      interaction: {} as any,
    },
  );

describe('quality_check_entity', () => {
  it('scores a component and names each fix', async () => {
    expect(await call([cart, team], 'cart-service')).toEqual({
      ref: 'component:default/cart-service',
      score: 63,
      passed: ['description', 'owner', 'tags', 'lifecycle', 'techdocs'],
      failed: [
        { check: 'links', fix: expect.stringContaining('metadata.links') },
        { check: 'system', fix: expect.stringContaining('spec.system') },
        {
          check: 'source',
          fix: expect.stringContaining('backstage.io/source-location'),
        },
      ],
    });
  });

  it('fails the owner check when the owner is not in the catalog', async () => {
    const result = (await call(
      [cart],
      'component:default/cart-service',
    )) as any;
    expect(result.failed.map((f: any) => f.check)).toContain('owner');
  });

  it.each([
    ['an unknown entity', 'nope', /No entity component:default\/nope/],
    ['a malformed ref', 'component:default/', /is not an entity ref/],
  ])('refuses %s with an actionable message', async (_case, ref, message) => {
    await expect(call([cart], ref)).rejects.toThrow(message);
  });
});
