import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
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
import { readMcpConfig } from '../../config';
import { McpTool } from '../types';
import {
  docsTemplate,
  nodejsTemplate,
  repoTemplate,
  TEMPLATE_REFS,
} from './__fixtures__/templates';
import { createScaffolderListTemplatesTool } from './scaffolderListTemplates';

const config = readMcpConfig(new ConfigReader({}));
const credentials = mockCredentials.user('user:default/alice');

function setup() {
  const catalog = catalogServiceMock({
    entities: [
      ...catalogEntities(),
      nodejsTemplate,
      docsTemplate,
      repoTemplate,
    ],
  });
  const queryEntities = jest.spyOn(catalog, 'queryEntities');
  const tool = createScaffolderListTemplatesTool({ catalog, config });
  return { tool, queryEntities };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);
const refs = (result: { items: { ref: string }[] }) =>
  result.items.map(i => i.ref);

describe('scaffolder_list_templates', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'query',
      'tags',
      'owner',
      'type',
      'limit',
      'cursor',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.toolset).toBe('scaffolder');
    expect(tool.description).toContain('scaffolder_get_template');
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it.each([
    [
      'no filter: templates only',
      {},
      [TEMPLATE_REFS.docs, TEMPLATE_REFS.nodejs, TEMPLATE_REFS.repo],
    ],
    ['a tag', { tags: 'recommended' }, [TEMPLATE_REFS.nodejs]],
    [
      'a list of tags',
      { tags: ['docs', 'git'] },
      [TEMPLATE_REFS.docs, TEMPLATE_REFS.repo],
    ],
    [
      'an owner by name',
      { owner: 'platform-team' },
      [TEMPLATE_REFS.docs, TEMPLATE_REFS.nodejs],
    ],
    [
      'an owner by full ref',
      { owner: 'group:default/team-a' },
      [TEMPLATE_REFS.repo],
    ],
    ['a type', { type: 'documentation' }, [TEMPLATE_REFS.docs]],
    [
      'a type and an owner',
      { type: 'service', owner: 'team-a' },
      [TEMPLATE_REFS.repo],
    ],
    ['free text in a description', { query: 'SECRET' }, [TEMPLATE_REFS.docs]],
    ['free text matching a component only', { query: 'checkout' }, []],
  ])('finds templates by %s', async (_name, args, expected) => {
    const result = await call(setup().tool, args);
    expect(refs(result)).toEqual(expected);
    expect(result.total_count).toBe(expected.length);
    expect(result.next_cursor).toBeUndefined();
  });

  it('returns concise items without the template spec', async () => {
    const { tool, queryEntities } = setup();
    const result = await call(tool, { tags: 'recommended' });
    expect(result.items).toEqual([
      {
        ref: TEMPLATE_REFS.nodejs,
        name: 'nodejs-service',
        title: 'Node.js service',
        description: expect.stringContaining('Node.js HTTP service'),
        type: 'service',
        owner: 'group:default/platform-team',
        tags: ['nodejs', 'recommended', 'agent-safe'],
      },
    ]);
    const [request, options] = queryEntities.mock.calls[0] as any[];
    expect(request.fields).not.toContain('spec');
    expect(
      request.fields.filter((f: string) => /steps|parameters|output/.test(f)),
    ).toEqual([]);
    expect(request.filter).toEqual({
      kind: 'Template',
      'metadata.tags': 'recommended',
    });
    expect(options).toEqual({ credentials });
  });

  it('pages with the catalog cursor', async () => {
    const { tool, queryEntities } = setup();
    const first = await call(tool, { limit: 2 });
    expect(refs(first)).toEqual([TEMPLATE_REFS.docs, TEMPLATE_REFS.nodejs]);
    expect(first.total_count).toBe(3);
    expect(first.truncation_hint).toContain('scaffolder_list_templates');
    const second = await call(tool, { cursor: first.next_cursor, limit: 2 });
    expect(refs(second)).toEqual([TEMPLATE_REFS.repo]);
    expect(second.next_cursor).toBeUndefined();
    expect(Object.keys(queryEntities.mock.calls[1][0] as any).sort()).toEqual([
      'cursor',
      'fields',
      'limit',
    ]);
  });

  it.each([
    ['a limit below 1', { limit: 0 }, ['limit']],
    [
      'a limit above the maximum',
      { limit: config.results.maxPageSize + 1 },
      ['limit'],
    ],
    ['an empty tag list', { tags: [] }, ['tags']],
    ['a too long query', { query: 'x'.repeat(201) }, ['query']],
    ['a number as type', { type: 3 }, ['type']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { kind: 'Component' }, 'kind');
  });
});
