import { mockCredentials } from '@backstage/backend-test-utils';
import { ResourceRegistry } from './resourceRegistry';
import { McpResourceTemplate } from './types';

const context = { credentials: mockCredentials.user() };

/** A template listing `count` resources, `limit` per page, with its own numeric cursor. */
function fakeTemplate(
  name: string,
  count: number,
  sharesPermissionOf = 'catalog_get_entity',
): McpResourceTemplate {
  return {
    uriTemplate: `test://${name}/{id}`,
    name,
    title: name,
    description: `${name} resources`,
    mimeType: 'text/plain',
    sharesPermissionOf,
    read: async ({ uri, variables }) => ({
      uri,
      mimeType: 'text/plain',
      text: variables.id,
    }),
    list: async ({ cursor, limit }) => {
      const start = Number(cursor ?? 0);
      const end = Math.min(start + limit, count);
      return {
        resources: Array.from({ length: end - start }, (_, i) => ({
          uri: `test://${name}/${start + i}`,
          name: `${name}-${start + i}`,
          mimeType: 'text/plain',
        })),
        nextCursor: end < count ? String(end) : undefined,
      };
    },
  };
}

describe('ResourceRegistry', () => {
  it('pages across every listing template in order, each page within the page size', async () => {
    const templates = [fakeTemplate('a', 3), fakeTemplate('b', 2)];
    const registry = new ResourceRegistry(templates, 2);
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await registry.list(templates, cursor, context);
      pages.push(page.resources.map(r => r.name));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages).toEqual([['a-0', 'a-1'], ['a-2'], ['b-0', 'b-1']]);
  });

  it('lists only the templates given (those the caller may use)', async () => {
    const a = fakeTemplate('a', 1);
    const b = fakeTemplate('b', 1, 'other_tool');
    const registry = new ResourceRegistry([a, b], 5);
    const allowed = registry.templates(tool => tool === 'catalog_get_entity');
    expect(allowed).toEqual([a]);
    expect(
      (await registry.list(allowed, undefined, context)).resources.map(
        r => r.name,
      ),
    ).toEqual(['a-0']);
  });

  it('refuses a cursor of a template the caller may not use', async () => {
    const a = fakeTemplate('a', 1);
    const b = fakeTemplate('b', 3);
    const registry = new ResourceRegistry([a, b], 1);
    const first = await registry.list([a, b], undefined, context);
    await expect(registry.list([a], first.nextCursor, context)).rejects.toThrow(
      /not one this server returned/,
    );
  });

  it('resolves a URI to its template and finds a template by its URI template', () => {
    const a = fakeTemplate('a', 1);
    const registry = new ResourceRegistry([a], 1);
    expect(registry.resolve('test://a/42')).toEqual({
      template: a,
      variables: { id: '42' },
    });
    expect(registry.byUriTemplate('test://a/{id}')).toBe(a);
    expect(registry.listed(a)).toEqual({
      uriTemplate: 'test://a/{id}',
      name: 'a',
      title: 'a',
      description: 'a resources',
      mimeType: 'text/plain',
    });
  });

  it('refuses a template defined twice', () => {
    expect(
      () =>
        new ResourceRegistry([fakeTemplate('a', 1), fakeTemplate('a', 1)], 1),
    ).toThrow(/defined twice/);
  });
});
