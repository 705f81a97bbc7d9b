import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogEntities, makeEntity } from '../__testUtils__/entities';
import { createCatalogGetEntityTool } from '../tools/catalog/catalogGetEntity';
import { callTool } from '../__testUtils__/toolTesting';
import {
  createEntityResourceTemplate,
  entityResourceUri,
} from './entityResource';
import { ResourceRegistry } from './resourceRegistry';
import { ResourceText } from './types';

const alice = mockCredentials.user('user:default/alice');

function setup(entities = catalogEntities()) {
  const catalog = catalogServiceMock({ entities });
  const template = createEntityResourceTemplate({ catalog });
  return { catalog, template, registry: new ResourceRegistry([template], 3) };
}

describe('the entity resource template', () => {
  it('is described for agents', () => {
    const { template } = setup();
    const { read, list, complete, ...definition } = template;
    expect(definition).toMatchSnapshot();
  });

  it('builds and resolves entity URIs', () => {
    const { registry, template } = setup();
    const uri = entityResourceUri({
      kind: 'Component',
      namespace: 'default',
      name: 'checkout-service',
    });
    expect(uri).toBe('backstage://entity/component/default/checkout-service');
    expect(registry.resolve(uri)).toEqual({
      template,
      variables: {
        kind: 'component',
        namespace: 'default',
        name: 'checkout-service',
      },
    });
  });

  it.each([
    ['another scheme', 'https://example.com/entity/component/default/x'],
    ['a missing name', 'backstage://entity/component/default'],
    ['an extra segment', 'backstage://entity/component/default/x/y'],
    ['an empty string', ''],
  ])('refuses a URI with %s', (_case, uri) => {
    const { registry } = setup();
    expect(() => registry.resolve(uri)).toThrow(
      /not a resource URI of this server/,
    );
  });

  it('reads the same content a detailed catalog_get_entity returns', async () => {
    const { catalog, template } = setup();
    const uri = 'backstage://entity/component/default/checkout-service';
    const contents = (await template.read(
      {
        uri,
        variables: {
          kind: 'component',
          namespace: 'default',
          name: 'checkout-service',
        },
      },
      { credentials: alice },
    )) as ResourceText;
    expect(contents.mimeType).toBe('application/json');
    const tool = await callTool(createCatalogGetEntityTool({ catalog }), {
      ref: 'component:default/checkout-service',
      response_format: 'detailed',
    });
    expect(JSON.parse(contents.text)).toEqual(JSON.parse(JSON.stringify(tool)));
  });

  it('answers an entity that does not exist (or may not be read) as not found', async () => {
    const { template } = setup();
    await expect(
      template.read(
        {
          uri: 'backstage://entity/component/default/nope',
          variables: { kind: 'component', namespace: 'default', name: 'nope' },
        },
        { credentials: alice },
      ),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('component:default/nope'),
    });
  });

  it("reads with the caller's credentials", async () => {
    const { catalog, template } = setup();
    const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
    await template.read(
      {
        uri: 'backstage://entity/group/default/team-a',
        variables: { kind: 'group', namespace: 'default', name: 'team-a' },
      },
      { credentials: alice },
    );
    expect(getEntityByRef).toHaveBeenCalledWith(
      { kind: 'group', namespace: 'default', name: 'team-a' },
      { credentials: alice },
    );
  });

  it('pages through the listed kinds only, with an opaque cursor', async () => {
    const { registry, template } = setup();
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await registry.list([template], cursor, {
        credentials: alice,
      });
      expect(page.resources.length).toBeLessThanOrEqual(3);
      names.push(...page.resources.map(r => r.name));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(names.sort()).toEqual([
      'api:default/checkout-api',
      'api:default/payment-api',
      'component:default/alice-scripts',
      'component:default/checkout-service',
      'component:default/payment-service',
      'group:default/engineering',
      'group:default/team-a',
      'group:default/team-b',
      'system:default/checkout',
    ]);
    expect(pages).toBe(3);
  });

  it('lists each resource with uri, name, title, description and mime type', async () => {
    const { registry, template } = setup([
      makeEntity({
        kind: 'Component',
        name: 'svc',
        title: 'The Service',
        description: 'Does things',
      }),
    ]);
    expect(
      (await registry.list([template], undefined, { credentials: alice }))
        .resources,
    ).toEqual([
      {
        uri: 'backstage://entity/component/default/svc',
        name: 'component:default/svc',
        title: 'The Service',
        description: 'Does things',
        mimeType: 'application/json',
      },
    ]);
  });

  it('refuses a cursor it did not issue', async () => {
    const { registry, template } = setup();
    await expect(
      registry.list([template], 'not-a-cursor', { credentials: alice }),
    ).rejects.toThrow(/not one this server returned/);
  });

  it.each([
    ['kinds', 'kind', 'gr', {}, ['group']],
    ['namespaces', 'namespace', '', { kind: 'component' }, ['default']],
    [
      'names of every kind',
      'name',
      'check',
      {},
      ['checkout', 'checkout-api', 'checkout-db', 'checkout-service'],
    ],
    [
      'names narrowed by kind',
      'name',
      'check',
      { kind: 'component' },
      ['checkout-service'],
    ],
    [
      'names narrowed by kind and namespace',
      'name',
      'check',
      { kind: 'component', namespace: 'other' },
      [],
    ],
  ])('completes %s', async (_case, variable, value, chosen, expected) => {
    const { template } = setup();
    const completion = await template.complete!(
      { variable, value, chosen },
      { credentials: alice },
    );
    expect(completion.values).toEqual(expected);
    expect(completion.hasMore).toBe(false);
  });

  it('caps completion at 100 values and says there are more', async () => {
    const many = Array.from({ length: 130 }, (_, i) =>
      makeEntity({
        kind: 'Component',
        name: `svc-${String(i).padStart(3, '0')}`,
      }),
    );
    const { template } = setup(many);
    const completion = await template.complete!(
      { variable: 'name', value: 'svc', chosen: {} },
      { credentials: alice },
    );
    expect(completion.values).toHaveLength(100);
    expect(completion).toMatchObject({ total: 130, hasMore: true });
  });

  it('refuses to complete a variable the template does not have', async () => {
    const { template } = setup();
    await expect(
      template.complete!(
        { variable: 'colour', value: '', chosen: {} },
        { credentials: alice },
      ),
    ).rejects.toThrow(/no variable "colour"/);
  });
});
