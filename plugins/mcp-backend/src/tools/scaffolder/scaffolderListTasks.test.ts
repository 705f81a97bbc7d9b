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
import { decodeOffsetCursor, encodeOffsetCursor } from '../shared/pagination';
import { createScaffolderListTasksTool } from './scaffolderListTasks';
import { makeTask, OTHER_TASK_ID, TASK_ID } from './taskFixtures';

const config = readMcpConfig(new ConfigReader({}));
const alice = mockCredentials.user('user:default/alice');

function setup(totalItems = 2) {
  const scaffolder = scaffolderServiceMock.mock({
    listTasks: jest.fn(async () => ({
      items: [
        makeTask(),
        makeTask({
          id: OTHER_TASK_ID,
          status: 'failed',
          lastHeartbeatAt: undefined,
        }),
      ],
      totalItems,
    })),
  });
  const tool = createScaffolderListTasksTool({ scaffolder, config });
  return { tool, scaffolder };
}

describe('scaffolder_list_tasks', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'owner',
      'status',
      'limit',
      'cursor',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.owner.default).toBe('me');
    expect(tool.description).toContain('scaffolder_get_task');
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'scaffolder.task.read',
    ]);
  });

  it.each([
    [
      "the caller's own tasks by default",
      {},
      { createdBy: 'user:default/alice' },
    ],
    ['all tasks', { owner: 'all' }, { createdBy: undefined }],
    ['one status', { status: 'failed' }, { status: 'failed' }],
    [
      'several statuses',
      { status: ['open', 'processing'] },
      { status: ['open', 'processing'] },
    ],
    [
      'a page size and cursor',
      { limit: 5, cursor: encodeOffsetCursor(10) },
      { limit: 5, offset: 10 },
    ],
    [
      'the default page',
      {},
      { limit: config.results.defaultPageSize, offset: 0 },
    ],
  ])(
    "asks the scaffolder for %s with the caller's credentials",
    async (_name, args, expected) => {
      const { tool, scaffolder } = setup();
      await callTool(tool, args, alice);
      expect(scaffolder.listTasks).toHaveBeenCalledTimes(1);
      expect(scaffolder.listTasks).toHaveBeenCalledWith(
        expect.objectContaining(expected),
        {
          credentials: alice,
        },
      );
    },
  );

  it('returns concise items without parameters or secrets', async () => {
    const { tool } = setup();
    const result = await callTool(tool, {}, alice);
    expect(result.owner).toBe('user:default/alice');
    expect(result.items).toEqual([
      {
        id: TASK_ID,
        template_ref: 'template:default/create-service',
        status: 'processing',
        created_at: '2026-01-01T10:00:00.000Z',
        created_by: 'user:default/alice',
        last_heartbeat_at: '2026-01-01T10:00:05.000Z',
      },
      {
        id: OTHER_TASK_ID,
        template_ref: 'template:default/create-service',
        status: 'failed',
        created_at: '2026-01-01T10:00:00.000Z',
        created_by: 'user:default/alice',
      },
    ]);
    const text = JSON.stringify(result);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret-token');
    expect(result.total_count).toBe(2);
    expect(result.next_cursor).toBeUndefined();
    expect(result.truncation_hint).toBeUndefined();
  });

  it('falls back to the spec user when the task has no creator', async () => {
    const scaffolder = scaffolderServiceMock.mock({
      listTasks: jest.fn(async () => ({
        items: [
          makeTask({
            createdBy: undefined,
            spec: { ...makeTask().spec, user: { ref: 'user:default/bob' } },
          }),
        ],
        totalItems: 1,
      })),
    });
    const result = await callTool(
      createScaffolderListTasksTool({ scaffolder, config }),
      { owner: 'all' },
      alice,
    );
    expect(result.items[0].created_by).toBe('user:default/bob');
  });

  it('pages with an offset cursor and says how to get more', async () => {
    const { tool } = setup(7);
    const first = await callTool(
      tool,
      { limit: 2, cursor: encodeOffsetCursor(2) },
      alice,
    );
    expect(decodeOffsetCursor(first.next_cursor)).toBe(4);
    expect(first.truncation_hint).toContain('scaffolder_list_tasks');
    expect(first.truncation_hint).toContain('of 7');
  });

  it('explains that a service cannot list its own tasks, without calling the scaffolder', async () => {
    const { tool, scaffolder } = setup();
    await expect(
      callTool(tool, {}, mockCredentials.service('plugin:catalog')),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('"owner": "all"'),
    });
    expect(scaffolder.listTasks).not.toHaveBeenCalled();
  });

  it('lets a service list all tasks', async () => {
    const { tool, scaffolder } = setup();
    const service = mockCredentials.service('plugin:catalog');
    const result = await callTool(tool, { owner: 'all' }, service);
    expect(result.owner).toBe('all');
    expect(scaffolder.listTasks).toHaveBeenCalledWith(expect.anything(), {
      credentials: service,
    });
  });

  it('rejects a malformed cursor', async () => {
    const { tool, scaffolder } = setup();
    await expect(
      callTool(tool, { cursor: 'nonsense' }, alice),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(scaffolder.listTasks).not.toHaveBeenCalled();
  });

  it.each([
    ['an unknown owner', { owner: 'bob' }, ['owner']],
    ['an unknown status', { status: 'done' }, ['status']],
    ['an empty status list', { status: [] }, ['status']],
    ['a limit below 1', { limit: 0 }, ['limit']],
    [
      'a limit above the maximum',
      { limit: config.results.maxPageSize + 1 },
      ['limit'],
    ],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { created_by: 'me' }, 'created_by');
  });
});
