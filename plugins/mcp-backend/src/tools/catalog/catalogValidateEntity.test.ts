import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import {
  callTool,
  expectEveryPropertyDescribed,
  expectInputIssue,
  expectUnknownKeyRejected,
  listedDefinition,
} from '../../__testUtils__/toolTesting';
import { createCatalogValidateEntityTool } from './catalogValidateEntity';

const credentials = mockCredentials.user('user:default/alice');

const VALID = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout-service
spec:
  type: service
  lifecycle: production
  owner: team-a
`;

function setup() {
  // The catalog's own answer: names must be valid, the rest is its business.
  const validateEntity = jest.fn(async (entity: any) =>
    /^[a-z0-9-]+$/.test(entity?.metadata?.name ?? '')
      ? ({ valid: true } as const)
      : ({
          valid: false,
          errors: [
            {
              name: 'InputError',
              message: `"metadata.name" is not valid; got "${entity?.metadata?.name}"`,
            },
          ],
        } as const),
  );
  const catalog = catalogServiceMock.mock({
    validateEntity: validateEntity as any,
  });
  return {
    tool: createCatalogValidateEntityTool({ catalog }),
    catalog,
    validateEntity,
  };
}

describe('catalog_validate_entity', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input and declares that it writes nothing', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual(['yaml', 'location']);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.annotations.readOnlyHint).toBe(true);
    expect(tool.annotations.destructiveHint).toBe(false);
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.validate',
    ]);
    expect(tool.description).toContain('catalog_register_location');
  });

  it.each([
    [
      'one valid document',
      VALID,
      true,
      [
        {
          index: 0,
          ref: 'component:default/checkout-service',
          valid: true,
          errors: [],
        },
      ],
    ],
    [
      'an invalid name among valid ones',
      `${VALID}---\n${VALID.replace('checkout-service', 'Bad Name!')}---\n`,
      false,
      [
        {
          index: 0,
          ref: 'component:default/checkout-service',
          valid: true,
          errors: [],
        },
        {
          index: 1,
          valid: false,
          ref: 'component:default/bad name!',
          errors: ['"metadata.name" is not valid; got "Bad Name!"'],
        },
      ],
    ],
    [
      'broken YAML',
      'kind: Component\nmetadata: [unclosed\n',
      false,
      [{ index: 0, valid: false, errors: [expect.stringMatching(/^YAML: /)] }],
    ],
    [
      'a list instead of a mapping',
      '- kind: Component\n',
      false,
      [
        {
          index: 0,
          valid: false,
          errors: [expect.stringContaining('YAML mapping')],
        },
      ],
    ],
  ])('reports %s per document', async (_name, yaml, valid, documents) => {
    const { tool } = setup();
    const result = await callTool(tool, { yaml }, credentials);
    expect(result.valid).toBe(valid);
    expect(result.documents).toEqual(documents);
    expect(result.next_step).toContain(
      valid ? 'catalog_register_location' : 'Fix the errors',
    );
  });

  it("validates with the catalog, the caller's credentials and the given location", async () => {
    const { tool, validateEntity } = setup();
    await callTool(
      tool,
      { yaml: VALID, location: 'https://git.example/acme/catalog-info.yaml' },
      credentials,
    );
    expect(validateEntity).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'Component' }),
      'url:https://git.example/acme/catalog-info.yaml',
      { credentials },
    );
  });

  it('does not ask the catalog about documents that are not entities', async () => {
    const { tool, validateEntity } = setup();
    await callTool(tool, { yaml: 'a: [' }, credentials);
    expect(validateEntity).not.toHaveBeenCalled();
  });

  it('passes a denial of the catalog on', async () => {
    const catalog = catalogServiceMock.mock({
      validateEntity: async () => {
        throw new NotAllowedError('not allowed to validate');
      },
    });
    const tool = createCatalogValidateEntityTool({ catalog });
    await expect(
      callTool(tool, { yaml: VALID }, credentials),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it.each([
    ['no descriptor at all', '---\n'],
    [
      'too many documents',
      Array.from({ length: 21 }, () => VALID).join('---\n'),
    ],
  ])('refuses %s', async (_name, yaml) => {
    await expect(
      callTool(setup().tool, { yaml }, credentials),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
  });

  it.each([
    ['a missing yaml', {}, ['yaml']],
    ['an empty yaml', { yaml: '' }, ['yaml']],
    [
      'a location that is not a URL',
      { yaml: VALID, location: 'catalog-info.yaml' },
      ['location'],
    ],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { yaml: VALID, strict: true },
      'strict',
    );
  });
});
