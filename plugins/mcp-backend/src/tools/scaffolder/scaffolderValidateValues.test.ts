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
  TEMPLATE_REFS,
} from './__fixtures__/templates';
import { createScaffolderValidateValuesTool } from './scaffolderValidateValues';

const credentials = mockCredentials.user('user:default/alice');

function setup() {
  const catalog = catalogServiceMock({
    entities: [...catalogEntities(), nodejsTemplate, docsTemplate],
  });
  const scaffolder = scaffolderServiceMock.mock({
    getTemplateParameterSchema: jest.fn(fakeGetTemplateParameterSchema),
  });
  const tool = createScaffolderValidateValuesTool({ catalog, scaffolder });
  return { tool, scaffolder };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

describe('scaffolder_validate_values', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input property, warns about secrets and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual(['ref', 'values']);
    expectEveryPropertyDescribed(schema);
    expect(schema.properties.values.description).toContain(
      'Secrets must NOT be passed here',
    );
    expect(schema.additionalProperties).toBe(false);
    expect(tool.toolset).toBe('scaffolder');
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
      'scaffolder.template.parameter.read',
    ]);
  });

  it.each([
    [
      'valid values',
      'nodejs-service',
      {
        name: 'gift-card',
        owner: 'group:default/team-a',
        system: 'system:default/payments',
      },
      {
        valid: true,
        missing_required: [],
        next_step: expect.stringContaining('scaffolder_run_template'),
      },
    ],
    [
      'missing values',
      'template:default/nodejs-service',
      { name: 'gift-card' },
      {
        valid: false,
        missing_required: ['owner', 'system'],
        next_step: expect.stringContaining('validate again'),
      },
    ],
    [
      'a secret',
      'docs-site',
      {
        name: 'docs',
        owner: 'group:default/team-a',
        apiToken: 'tok-123-secret',
      },
      { valid: false, secret_fields_present: ['apiToken'] },
    ],
  ])(
    'checks %s against the scaffolder schema',
    async (_name, ref, values, expected) => {
      const { tool, scaffolder } = setup();
      const result = await call(tool, { ref, values });
      expect(result).toMatchObject(expected);
      expect(JSON.stringify(result)).not.toContain('tok-123-secret');
      expect(scaffolder.getTemplateParameterSchema).toHaveBeenCalledWith(
        { templateRef: result.ref },
        { credentials },
      );
      expect([TEMPLATE_REFS.nodejs, TEMPLATE_REFS.docs]).toContain(result.ref);
    },
  );

  it('reports a missing template without asking the scaffolder', async () => {
    const { tool, scaffolder } = setup();
    await expect(call(tool, { ref: 'nope', values: {} })).rejects.toMatchObject(
      { name: 'NotFoundError' },
    );
    expect(scaffolder.getTemplateParameterSchema).not.toHaveBeenCalled();
  });

  it.each([
    [
      'values that are not an object',
      { ref: 'x', values: 'name=x' },
      ['values'],
    ],
    ['missing values', { ref: 'x' }, ['values']],
    ['an empty ref', { ref: '', values: {} }, ['ref']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { ref: 'x', values: {}, secrets: {} },
      'secrets',
    );
  });
});
