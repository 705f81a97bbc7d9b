import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { z } from 'zod';
import { catalogEntities } from '../../__testUtils__/entities';
import {
  callTool,
  expectEveryPropertyDescribed,
  expectInputIssue,
  expectUnknownKeyRejected,
  listedDefinition,
} from '../../__testUtils__/toolTesting';
import { McpTool } from '../types';
import {
  docsTemplate,
  fakeGetTemplateParameterSchema,
  nodejsTemplate,
  repoTemplate,
  TEMPLATE_REFS,
} from './__fixtures__/templates';
import { createScaffolderGetTemplateTool } from './scaffolderGetTemplate';

const credentials = mockCredentials.user('user:default/alice');

function setup(
  entities = [...catalogEntities(), nodejsTemplate, docsTemplate, repoTemplate],
) {
  const catalog = catalogServiceMock({ entities });
  const scaffolder = scaffolderServiceMock.mock({
    getTemplateParameterSchema: jest.fn(fakeGetTemplateParameterSchema),
  });
  const tool = createScaffolderGetTemplateTool({ catalog, scaffolder });
  return { tool, scaffolder };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

describe('scaffolder_get_template', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual(['ref']);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.toolset).toBe('scaffolder');
    expect(tool.description).toContain('scaffolder_validate_values');
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
      'scaffolder.template.parameter.read',
    ]);
  });

  it.each([
    ['a bare name', 'nodejs-service'],
    ['a name with namespace', 'default/nodejs-service'],
    ['a full ref', 'template:default/nodejs-service'],
    ['a full ref with a capitalized kind', 'Template:default/nodejs-service'],
  ])(
    'resolves %s and asks the scaffolder with the full ref and credentials',
    async (_name, ref) => {
      const { tool, scaffolder } = setup();
      const result = await call(tool, { ref });
      expect(result.ref).toBe(TEMPLATE_REFS.nodejs);
      expect(scaffolder.getTemplateParameterSchema).toHaveBeenCalledWith(
        { templateRef: TEMPLATE_REFS.nodejs },
        { credentials },
      );
    },
  );

  it('merges the demo template pages into one schema', async () => {
    const result = await call(setup().tool, { ref: 'nodejs-service' });
    expect(result.title).toBe('Node.js service');
    expect(result.required).toEqual(['name', 'owner', 'system']);
    expect(result.parameters).toMatchObject({
      type: 'object',
      required: ['name', 'owner', 'system'],
      properties: {
        name: {
          pattern: '^[a-z][a-z0-9-]*$',
          maxLength: 63,
          'ui:autofocus': true,
          'x-page': 'Service details',
        },
        owner: {
          'ui:field': 'OwnerPicker',
          'ui:options': { catalogFilter: { kind: 'Group' } },
        },
        lifecycle: {
          enum: ['experimental', 'production'],
          default: 'experimental',
          'x-page': 'Placement',
        },
        includeDocs: { type: 'boolean', default: true },
      },
    });
    expect(result.parameters.allOf).toBeUndefined();
    expect(result.pages).toEqual([
      { title: 'Service details', fields: ['name', 'description', 'owner'] },
      { title: 'Placement', fields: ['system', 'lifecycle', 'includeDocs'] },
    ]);
    expect(result.secret_fields).toEqual([]);
    expect(result.steps).toEqual([
      { id: 'fetch', name: 'Render skeleton', action: 'fetch:template' },
      { id: 'log', name: 'Log summary', action: 'debug:log' },
      { id: 'wait', name: 'Simulate publishing', action: 'debug:wait' },
    ]);
    expect(result.output).toEqual({
      links: ['Service homepage (example)'],
      text: ['Next steps'],
    });
    expect(result.next_step).toContain('scaffolder_validate_values');
    expect(result.next_step).toContain('scaffolder_run_template');
  });

  it.each([
    [
      'the demo owner picker',
      'nodejs-service',
      'owner',
      { kind: 'Group' },
      'group:default/',
    ],
    [
      'the demo entity picker',
      'nodejs-service',
      'system',
      { kind: 'System' },
      'An entity ref',
    ],
  ])(
    'hints at catalog_search for %s',
    async (_name, ref, field, search, text) => {
      const result = await call(setup().tool, { ref });
      const hint = result.pickers.find((p: any) => p.field === field);
      expect(hint.catalog_search).toEqual([search]);
      expect(hint.hint).toContain(text);
      expect(hint.hint).toContain(`catalog_search ${JSON.stringify(search)}`);
    },
  );

  it('hints at every kind of picker of the synthetic template', async () => {
    const result = await call(setup().tool, { ref: 'repo-service' });
    expect(result.pickers).toEqual([
      {
        field: 'repoUrl',
        ui_field: 'RepoUrlPicker',
        hint: expect.stringMatching(/host\?owner=o&repo=r.*one of github\.com/),
      },
      {
        field: 'consumers',
        ui_field: 'MultiEntityPicker',
        hint: expect.stringContaining('A list of entity refs'),
        catalog_search: [{ kind: ['Component', 'API'] }],
      },
      {
        field: 'maintainer',
        ui_field: 'OwnerPicker',
        hint: expect.any(String),
        catalog_search: [{ kind: ['Group', 'User'] }],
      },
      {
        field: 'reviewer',
        ui_field: 'EntityPicker',
        hint: expect.stringContaining(' or catalog_search '),
        catalog_search: [
          { kind: 'User', namespace: 'default' },
          { kind: 'Group', type: 'team' },
        ],
      },
      {
        field: 'flavour',
        ui_field: 'FlavourPicker',
        hint: expect.stringContaining('custom form field'),
      },
    ]);
  });

  it('keeps page conditionals under allOf and lists nested and widget secrets', async () => {
    const result = await call(setup().tool, { ref: 'repo-service' });
    expect(result.parameters.allOf).toEqual([
      { dependencies: (repoTemplate.spec as any).parameters[1].dependencies },
    ]);
    expect(result.secret_fields).toEqual(['deploy.password']);
    expect(result.pages[1]).toEqual({
      title: 'Access',
      description: 'Credentials for publishing',
      fields: ['publish', 'deploy'],
    });
    expect(result.steps).toEqual([
      { id: 'fetch', name: 'Fetch', action: 'fetch:template' },
      { id: 'publish', action: 'publish:github' },
    ]);
    expect(result.output).toEqual({});
  });

  it('lists the demo secret field', async () => {
    const result = await call(setup().tool, { ref: 'docs-site' });
    expect(result.secret_fields).toEqual(['apiToken']);
    expect(result.pickers.map((p: any) => p.field)).toEqual(['owner']);
    expect(result.parameters.properties.apiToken['ui:field']).toBe('Secret');
  });

  it.each([
    [
      'a missing template',
      'no-such-template',
      'NotFoundError',
      'No entity template:default/no-such-template',
    ],
    [
      'an entity that is not a template',
      'component:default/checkout-service',
      'InputError',
      'not a template',
    ],
    [
      'a malformed ref',
      'template:default/',
      'InputError',
      'kind:namespace/name',
    ],
  ])(
    'reports %s without asking the scaffolder',
    async (_name, ref, errorName, message) => {
      const { tool, scaffolder } = setup([
        ...catalogEntities(),
        nodejsTemplate,
      ]);
      await expect(call(tool, { ref })).rejects.toMatchObject({
        name: errorName,
        message: expect.stringContaining(message),
      });
      expect(scaffolder.getTemplateParameterSchema).not.toHaveBeenCalled();
    },
  );

  it.each([
    ['an empty ref', { ref: '' }, ['ref']],
    ['a missing ref', {}, ['ref']],
    ['a too long ref', { ref: 'x'.repeat(501) }, ['ref']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { ref: 'x', template: 'x' },
      'template',
    );
  });
});
