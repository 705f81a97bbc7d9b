import { mockCredentials } from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogEntities, makeEntity } from '../__testUtils__/entities';
import { createPrompts } from '.';
import { McpPrompt, PromptContext } from './types';

const EVERY_TOOL = () => true;

function setup() {
  const catalog = catalogServiceMock({
    entities: [
      ...catalogEntities(),
      makeEntity({
        kind: 'Template',
        name: 'nodejs-service',
        spec: { type: 'service' },
      }),
      makeEntity({
        kind: 'Template',
        name: 'docs-site',
        spec: { type: 'website' },
      }),
    ],
  });
  const prompts = new Map(createPrompts({ catalog }).map(p => [p.name, p]));
  return {
    catalog,
    prompt: (name: string) => prompts.get(name)!,
    prompts: [...prompts.values()],
  };
}

function context(
  mayUseTool: (name: string) => boolean = EVERY_TOOL,
): PromptContext & {
  readResource: jest.Mock;
} {
  return {
    credentials: mockCredentials.user('user:default/alice'),
    mayUseTool,
    readResource: jest.fn(async (uri: string) => ({
      uri,
      mimeType: 'application/json',
      text: '{"entity":{}}',
    })),
  };
}

function texts(result: Awaited<ReturnType<McpPrompt['get']>>) {
  return result.messages
    .map(m => (m.content.type === 'text' ? m.content.text : ''))
    .join('\n');
}

describe('prompts', () => {
  it('are described for agents', () => {
    const { prompts } = setup();
    expect(
      prompts.map(({ get, arguments: args, ...definition }) => ({
        ...definition,
        arguments: args.map(({ complete, ...argument }) => ({
          ...argument,
          completable: !!complete,
        })),
      })),
    ).toMatchSnapshot();
  });

  it.each([
    [
      'onboard_to_service',
      { service: 'checkout-service' },
      ['catalog_get_owner', 'catalog_get_relations', 'api_get_spec'],
    ],
    [
      'incident_triage',
      { component: 'checkout-service' },
      ['catalog_get_owner', 'catalog_get_relations'],
    ],
    [
      'what_do_i_own',
      { kind: 'API' },
      ['whoami', 'catalog_list_owned_entities'],
    ],
    [
      'create_service_from_template',
      { template: 'nodejs-service', name: 'gift-cards' },
      [
        'scaffolder_get_template',
        'scaffolder_validate_values',
        'scaffolder_run_template',
      ],
    ],
  ])('%s tells the agent which tools to call', async (name, args, tools) => {
    const { prompt } = setup();
    const text = texts(await prompt(name).get(args, context()));
    for (const tool of tools) expect(text).toContain(`${tool}:`);
  });

  it.each([
    [
      'onboard_to_service',
      { service: 'checkout-service' },
      'catalog_get_owner',
    ],
    [
      'incident_triage',
      { component: 'checkout-service' },
      'catalog_get_relations',
    ],
    ['what_do_i_own', {}, 'whoami'],
    [
      'create_service_from_template',
      { template: 'nodejs-service' },
      'scaffolder_validate_values',
    ],
  ])(
    '%s never mentions a tool the caller may not use',
    async (name, args, denied) => {
      const { prompt } = setup();
      const text = texts(
        await prompt(name).get(
          args,
          context(tool => tool !== denied),
        ),
      );
      expect(text).not.toContain(denied);
    },
  );

  it('onboard_to_service embeds the entity resource read for the caller', async () => {
    const { prompt } = setup();
    const ctx = context();
    const result = await prompt('onboard_to_service').get(
      { service: 'checkout-service' },
      ctx,
    );
    expect(ctx.readResource).toHaveBeenCalledWith(
      'backstage://entity/component/default/checkout-service',
    );
    expect(result.messages).toContainEqual({
      role: 'user',
      content: {
        type: 'resource',
        resource: {
          uri: 'backstage://entity/component/default/checkout-service',
          mimeType: 'application/json',
          text: '{"entity":{}}',
        },
      },
    });
  });

  it('onboard_to_service passes on a service that is not found', async () => {
    const { prompt } = setup();
    const ctx = context();
    ctx.readResource.mockRejectedValue(
      new NotFoundError('No entity component:default/nope was found'),
    );
    await expect(
      prompt('onboard_to_service').get({ service: 'nope' }, ctx),
    ).rejects.toThrow(/No entity/);
  });

  it('refuses a malformed ref with the expected format', async () => {
    const { prompt } = setup();
    await expect(
      prompt('incident_triage').get(
        { component: 'component:default/' },
        context(),
      ),
    ).rejects.toThrow(/kind:namespace\/name/);
  });

  it.each([
    [
      'onboard_to_service',
      'service',
      'check',
      ['component:default/checkout-service'],
    ],
    [
      'incident_triage',
      'component',
      'component:default/pay',
      ['component:default/payment-service'],
    ],
    [
      'create_service_from_template',
      'template',
      'node',
      ['template:default/nodejs-service'],
    ],
    ['what_do_i_own', 'kind', 'Sys', ['System']],
  ])('%s completes %s', async (name, argument, value, expected) => {
    const { prompt } = setup();
    const completable = prompt(name).arguments.find(a => a.name === argument)!;
    const completion = await completable.complete!(
      { value, chosen: {} },
      context(),
    );
    expect(completion.values).toEqual(expected);
  });
});
