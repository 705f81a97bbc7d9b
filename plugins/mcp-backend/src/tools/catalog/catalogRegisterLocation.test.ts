import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import { catalogEntities } from '../../__testUtils__/entities';
import {
  callTool,
  expectEveryPropertyDescribed,
  expectInputIssue,
  expectUnknownKeyRejected,
  listedDefinition,
} from '../../__testUtils__/toolTesting';
import { createCatalogRegisterLocationTool } from './catalogRegisterLocation';

const credentials = mockCredentials.user('user:default/alice');
const TARGET = 'https://git.example/acme/checkout/blob/main/catalog-info.yaml';

function setup() {
  const entities = catalogEntities().slice(0, 2);
  const addLocation = jest.fn(async ({ type, target, dryRun }: any) => ({
    location: {
      id: dryRun ? 'dry-run-id' : 'location-1',
      type: type ?? 'url',
      target,
      entityRef: 'location:default/x',
    },
    entities: dryRun ? entities : [],
    ...(dryRun ? { exists: false } : {}),
  }));
  const catalog = catalogServiceMock.mock({ addLocation });
  return {
    tool: createCatalogRegisterLocationTool({ catalog }),
    addLocation,
    entities,
  };
}

describe('catalog_register_location', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input, defaults to a dry run and declares an honest write', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'target',
      'type',
      'dry_run',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.properties.dry_run.default).toBe(true);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.location.create',
    ]);
  });

  it('lists the entities of a dry run without registering', async () => {
    const { tool, addLocation, entities } = setup();
    const result = await callTool(tool, { target: TARGET }, credentials);
    expect(addLocation).toHaveBeenCalledTimes(1);
    expect(addLocation).toHaveBeenCalledWith(
      { type: 'url', target: TARGET, dryRun: true },
      { credentials },
    );
    expect(result).toMatchObject({
      dry_run: true,
      registered: false,
      exists: false,
      location: { type: 'url', target: TARGET },
      entities_total: entities.length,
    });
    expect(result.location.id).toBeUndefined();
    expect(result.entities).toEqual(
      entities.map(
        e => `${e.kind.toLocaleLowerCase('en-US')}:default/${e.metadata.name}`,
      ),
    );
    expect(result.next_step).toContain('"dry_run":false');
  });

  it("registers with dry_run false and the caller's credentials", async () => {
    const { tool, addLocation } = setup();
    const result = await callTool(
      tool,
      { target: TARGET, dry_run: false },
      credentials,
    );
    expect(addLocation).toHaveBeenCalledWith(
      { type: 'url', target: TARGET, dryRun: false },
      { credentials },
    );
    expect(result).toMatchObject({
      dry_run: false,
      registered: true,
      location: { id: 'location-1' },
    });
  });

  it('passes the catalog denial on', async () => {
    const catalog = catalogServiceMock.mock({
      addLocation: async () => {
        throw new NotAllowedError();
      },
    });
    const tool = createCatalogRegisterLocationTool({ catalog });
    await expect(
      callTool(tool, { target: TARGET, dry_run: false }, credentials),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(catalog.addLocation).toHaveBeenCalledWith(expect.anything(), {
      credentials,
    });
  });

  it.each([
    ['a missing target', {}, ['target']],
    ['an unknown type', { target: TARGET, type: 'github' }, ['type']],
    [
      'a dry_run that is not a boolean',
      { target: TARGET, dry_run: 'no' },
      ['dry_run'],
    ],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { target: TARGET, force: true },
      'force',
    );
  });
});
