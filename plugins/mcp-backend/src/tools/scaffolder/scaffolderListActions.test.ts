import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { z } from 'zod';
import {
  callTool,
  expectEveryPropertyDescribed,
  expectInputIssue,
  expectUnknownKeyRejected,
  listedDefinition,
} from '../../__testUtils__/toolTesting';
import { readMcpConfig } from '../../config';
import { McpTool } from '../types';
import { createScaffolderListActionsTool } from './scaffolderListActions';

const config = readMcpConfig(new ConfigReader({}));
const credentials = mockCredentials.user('user:default/alice');

const ACTIONS = [
  {
    id: 'publish:github',
    description: `Publishes to GitHub. ${'x'.repeat(400)}`,
    schema: {
      input: { type: 'object' as const, required: ['repoUrl'] },
      output: { type: 'object' as const },
    },
  },
  {
    id: 'fetch:template',
    description: 'Downloads a skeleton and templates it',
  },
  { id: 'debug:log', description: 'Writes a message into the log' },
  { id: 'catalog:register' },
];

function setup() {
  const scaffolder = scaffolderServiceMock.mock({
    listActions: jest.fn(async () => ACTIONS),
  });
  const tool = createScaffolderListActionsTool({ scaffolder, config });
  return { tool, scaffolder };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);
const ids = (result: { items: { id: string }[] }) =>
  result.items.map(i => i.id);

describe('scaffolder_list_actions', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'query',
      'limit',
      'cursor',
      'response_format',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.toolset).toBe('scaffolder');
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
  });

  it.each([
    [
      'no query, sorted by id',
      {},
      ['catalog:register', 'debug:log', 'fetch:template', 'publish:github'],
    ],
    ['an id substring', { query: 'PUBLISH' }, ['publish:github']],
    ['a description substring', { query: 'skeleton' }, ['fetch:template']],
    ['nothing matching', { query: 'deploy:k8s' }, []],
  ])('lists actions by %s', async (_name, args, expected) => {
    const { tool, scaffolder } = setup();
    const result = await call(tool, args);
    expect(ids(result)).toEqual(expected);
    expect(result.total_count).toBe(expected.length);
    expect(scaffolder.listActions).toHaveBeenCalledWith({}, { credentials });
  });

  it.each([
    [
      'concise',
      {},
      (item: any) => {
        expect(item.description.length).toBeLessThanOrEqual(200);
        expect(item.description.endsWith('…')).toBe(true);
        expect(item.input_schema).toBeUndefined();
      },
    ],
    [
      'detailed',
      { response_format: 'detailed' },
      (item: any) => {
        expect(item.description).toBe(ACTIONS[0].description);
        expect(item.input_schema).toEqual({
          type: 'object',
          required: ['repoUrl'],
        });
        expect(item.output_schema).toEqual({ type: 'object' });
      },
    ],
  ])('returns %s items', async (_name, args, check) => {
    const result = await call(setup().tool, { query: 'publish', ...args });
    check(result.items[0]);
  });

  it('pages with an offset cursor', async () => {
    const { tool } = setup();
    const first = await call(tool, { limit: 3 });
    expect(ids(first)).toEqual([
      'catalog:register',
      'debug:log',
      'fetch:template',
    ]);
    expect(first.truncation_hint).toContain('scaffolder_list_actions');
    const second = await call(tool, { limit: 3, cursor: first.next_cursor });
    expect(ids(second)).toEqual(['publish:github']);
    expect(second.next_cursor).toBeUndefined();
    expect(second.truncation_hint).toBeUndefined();
  });

  it('refuses a forged cursor', async () => {
    await expect(
      call(setup().tool, { cursor: 'not-a-cursor' }),
    ).rejects.toMatchObject({
      name: 'InputError',
    });
  });

  it.each([
    ['a limit below 1', { limit: 0 }, ['limit']],
    [
      'an unknown response format',
      { response_format: 'full' },
      ['response_format'],
    ],
    ['a too long query', { query: 'q'.repeat(201) }, ['query']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { id: 'x' }, 'id');
  });
});
