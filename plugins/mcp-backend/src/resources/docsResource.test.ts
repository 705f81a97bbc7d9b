import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { UriTemplate } from '@modelcontextprotocol/server';
import { ResourceText } from './types';
import { startDocsFixture } from '../techdocs/__testUtils__/docsCatalog';
import { createDocsResourceTemplate } from './docsResource';

const credentials = mockCredentials.user('user:default/alice');
const callerToken = `Bearer ${mockCredentials.service.token({
  onBehalfOf: credentials,
  targetPluginId: 'techdocs',
})}`;

type Fixture = Awaited<ReturnType<typeof startDocsFixture>>;
let fixture: Fixture | undefined;

async function setup(options: Parameters<typeof startDocsFixture>[0] = {}) {
  fixture = await startDocsFixture(options);
  const completeEntityVariable = jest.fn(async () => ({
    values: ['payment-service'],
    hasMore: false,
  }));
  const template = createDocsResourceTemplate({
    catalog: fixture.catalog,
    config: fixture.config,
    discovery: fixture.fake.discovery,
    auth: mockServices.auth(),
    completeEntityVariable,
  });
  // Docs pages are text.
  const read = async (uri: string) =>
    (await template.read(
      {
        uri,
        variables: new UriTemplate(template.uriTemplate).match(uri) as any,
      },
      { credentials },
    )) as ResourceText;
  return { template, read, completeEntityVariable, fake: fixture.fake };
}

afterEach(async () => {
  await fixture?.fake.stop();
  fixture = undefined;
});

describe('the TechDocs page resource', () => {
  it('shares the permission and the build wait of techdocs_get_page, and is not listed', async () => {
    const { template } = await setup({
      mcp: { techdocs: { buildWaitSeconds: 7 } },
    });
    expect(template.waitsMs?.()).toBe(7000);
    expect(template).toMatchObject({
      uriTemplate: 'backstage://docs/{kind}/{namespace}/{name}/{+path}',
      mimeType: 'text/markdown',
      sharesPermissionOf: 'techdocs_get_page',
    });
    expect(template.list).toBeUndefined();
  });

  it('reads a page as Markdown with a token minted for the caller', async () => {
    const { read, fake } = await setup();
    const uri = 'backstage://docs/component/default/payment-service/index.html';
    const contents = await read(uri);
    expect(contents).toEqual({
      uri,
      mimeType: 'text/markdown',
      text: expect.stringMatching(/^# /),
    });
    expect(contents.text).not.toMatch(/<(nav|script)/);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.every(r => r.authorization === callerToken)).toBe(
      true,
    );
  });

  it('answers not found for an entity the caller may not read, without asking TechDocs', async () => {
    const { read, fake } = await setup({ hidden: ['payment-service'] });
    await expect(
      read('backstage://docs/component/default/payment-service/index.html'),
    ).rejects.toThrow(expect.objectContaining({ name: 'NotFoundError' }));
    expect(fake.requests).toEqual([]);
  });

  it('completes entity variables like the entity resource, and no page paths', async () => {
    const { template, completeEntityVariable } = await setup();
    const context = { credentials };
    expect(
      await template.complete!(
        { variable: 'name', value: 'pay', chosen: {} },
        context,
      ),
    ).toEqual({
      values: ['payment-service'],
      hasMore: false,
    });
    expect(completeEntityVariable).toHaveBeenCalledWith(
      { variable: 'name', value: 'pay', chosen: {} },
      context,
    );
    expect(
      await template.complete!(
        { variable: 'path', value: 'run', chosen: {} },
        context,
      ),
    ).toEqual({
      values: [],
      hasMore: false,
    });
  });
});
