import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { LogEvent, ScaffolderTask } from '@backstage/plugin-scaffolder-common';
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
import { createScaffolderGetTaskTool } from './scaffolderGetTask';
import { logEvent, makeTask, remoteNotFound, TASK_ID } from './taskFixtures';

const config = readMcpConfig(new ConfigReader({}));
const alice = mockCredentials.user('user:default/alice');

const RUNNING_EVENTS = [
  logEvent(1, 'Beginning step Fetch skeleton', {
    stepId: 'fetch',
    status: 'processing',
  }),
  logEvent(2, 'Fetching template', { stepId: 'fetch' }),
  logEvent(3, 'Finished step Fetch skeleton', {
    stepId: 'fetch',
    status: 'completed',
  }),
  logEvent(4, 'Beginning step Publish', {
    stepId: 'publish',
    status: 'processing',
  }),
];

function setup(
  task: ScaffolderTask = makeTask(),
  events: LogEvent[] = RUNNING_EVENTS,
) {
  const scaffolder = scaffolderServiceMock.mock({
    getTask: jest.fn(async () => task),
    getLogs: jest.fn(async () => events),
  });
  const tool = createScaffolderGetTaskTool({ scaffolder, config });
  return { tool, scaffolder };
}

describe('scaffolder_get_task', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'task_id',
      'after',
      'max_log_events',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.max_log_events.default).toBe(50);
    expect(tool.description).toContain('next_log_cursor');
    expect(tool.annotations).toMatchObject({ readOnlyHint: true });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'scaffolder.task.read',
    ]);
  });

  it('returns the status, step statuses, logs and a polling hint for a running task', async () => {
    const { tool, scaffolder } = setup();
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(scaffolder.getTask).toHaveBeenCalledWith(
      { taskId: TASK_ID },
      { credentials: alice },
    );
    expect(scaffolder.getLogs).toHaveBeenCalledWith(
      { taskId: TASK_ID },
      { credentials: alice },
    );
    expect(result).toMatchObject({
      id: TASK_ID,
      status: 'processing',
      template_ref: 'template:default/create-service',
      created_at: '2026-01-01T10:00:00.000Z',
      steps: [
        {
          id: 'fetch',
          name: 'Fetch skeleton',
          action: 'fetch:template',
          status: 'completed',
        },
        {
          id: 'publish',
          name: 'Publish',
          action: 'publish:github',
          status: 'processing',
        },
        {
          id: 'register',
          name: 'Register',
          action: 'catalog:register',
          status: 'not_started',
        },
      ],
      next_log_cursor: 4,
    });
    expect(result.log_events).toHaveLength(4);
    expect(result.log_events[1]).toEqual({
      id: 2,
      created_at: '2026-01-01T10:00:02.000Z',
      step_id: 'fetch',
      message: 'Fetching template',
    });
    expect(result.hint).toContain('"after": 4');
    expect(result.output).toBeUndefined();
    expect(result.error).toBeUndefined();
    const text = JSON.stringify(result);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('secret-token');
  });

  it.each([
    ['after a cursor', { after: 2 }, [3, 4], 4, undefined],
    ['after the last event', { after: 4 }, [], 4, undefined],
    ['up to a maximum', { max_log_events: 2 }, [1, 2], 2, 2],
    [
      'after a cursor up to a maximum',
      { after: 1, max_log_events: 1 },
      [2],
      2,
      2,
    ],
    ['none at all', { max_log_events: 0 }, [], undefined, 4],
  ])('returns log events %s', async (_name, args, ids, cursor, more) => {
    const { tool } = setup();
    const result = await callTool(tool, { task_id: TASK_ID, ...args }, alice);
    expect(result.log_events.map((e: { id: number }) => e.id)).toEqual(ids);
    expect(result.next_log_cursor).toBe(cursor);
    expect(result.more_log_events).toBe(more);
    // Step statuses come from all events, not only the shown ones.
    expect(result.steps[0].status).toBe('completed');
    expect(result.hint.includes('more log events')).toBe(more !== undefined);
  });

  it('names a run the scaffolder ended failed after a cancel "cancelled"', async () => {
    const { tool } = setup(makeTask({ status: 'failed' }), [
      ...RUNNING_EVENTS,
      logEvent(
        5,
        'Step publish has been cancelled.',
        { stepId: 'publish', status: 'cancelled' },
        'cancelled',
      ),
    ]);
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(result.status).toBe('cancelled');
    expect(result.error).toBeUndefined();
    expect(result.hint).toBe(
      'The task is cancelled and will not change any more.',
    );
  });

  it('truncates long log messages', async () => {
    const { tool } = setup(makeTask(), [logEvent(1, 'x'.repeat(2000))]);
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(result.log_events[0].message.length).toBeLessThanOrEqual(500);
  });

  it('returns the output of a completed task without secret-looking fields', async () => {
    const events = [
      ...RUNNING_EVENTS,
      logEvent(
        5,
        'Run completed with status: completed',
        {
          status: 'completed',
          output: {
            links: [
              {
                title: 'Repository',
                url: 'https://github.com/acme/checkout',
                icon: 'github',
              },
              {
                title: 'Open in catalog',
                entityRef: 'component:default/checkout',
              },
            ],
            text: [{ title: 'Next', content: 'Deploy it' }],
            remoteUrl: 'https://github.com/acme/checkout',
            backstageToken: 'secret-token',
            nested: { apiToken: 'tok', kept: 1 },
          },
        } as any,
        'completion',
      ),
    ];
    const { tool } = setup(makeTask({ status: 'completed' }), events);
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(result.output).toEqual({
      links: [
        { title: 'Repository', url: 'https://github.com/acme/checkout' },
        { title: 'Open in catalog', entity_ref: 'component:default/checkout' },
      ],
      text: [{ title: 'Next', content: 'Deploy it' }],
      values: {
        remoteUrl: 'https://github.com/acme/checkout',
        nested: { kept: 1 },
      },
    });
    expect(JSON.stringify(result)).not.toContain('tok');
    expect(result.hint).toContain('completed');
    expect(result.hint).not.toContain('poll');
  });

  it('summarizes the failing step of a failed task', async () => {
    const events = [
      ...RUNNING_EVENTS,
      logEvent(5, 'Repository acme/checkout already exists', {
        stepId: 'publish',
      }),
      logEvent(6, 'Error: conflict', { stepId: 'publish', status: 'failed' }),
      logEvent(
        7,
        'Run completed with status: failed',
        { status: 'failed' },
        'completion',
      ),
    ];
    const { tool } = setup(makeTask({ status: 'failed' }), events);
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(result.steps.map((s: { status: string }) => s.status)).toEqual([
      'completed',
      'failed',
      'not_started',
    ]);
    expect(result.error).toEqual({
      step_id: 'publish',
      step_name: 'Publish',
      messages: [
        'Beginning step Publish',
        'Repository acme/checkout already exists',
        'Error: conflict',
      ],
    });
    expect(result.hint).toContain('scaffolder_retry_task');
  });

  it('summarizes a failure that no step reported', async () => {
    const events = [
      logEvent(
        1,
        'Run completed with status: failed',
        { status: 'failed' },
        'completion',
      ),
    ];
    const { tool } = setup(makeTask({ status: 'failed' }), events);
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(result.error).toEqual({
      messages: ['Run completed with status: failed'],
    });
  });

  it.each([
    [
      'a NotFoundError',
      async () => new NotFoundError('Task with id x does not exist'),
    ],
    ['a remote not found response', remoteNotFound],
  ])('answers %s with an actionable not found', async (_name, makeError) => {
    const error = await makeError();
    const scaffolder = scaffolderServiceMock.mock({
      getTask: jest.fn(async () => {
        throw error;
      }),
      getLogs: jest.fn(async () => []),
    });
    const tool = createScaffolderGetTaskTool({ scaffolder, config });
    await expect(
      callTool(tool, { task_id: TASK_ID }, alice),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('scaffolder_list_tasks'),
    });
  });

  it('lets other errors through unchanged', async () => {
    const scaffolder = scaffolderServiceMock.mock({
      getTask: jest.fn(async () => {
        throw new Error('boom');
      }),
      getLogs: jest.fn(async () => []),
    });
    const tool = createScaffolderGetTaskTool({ scaffolder, config });
    await expect(callTool(tool, { task_id: TASK_ID }, alice)).rejects.toThrow(
      'boom',
    );
  });

  it.each([
    ['a task id that is not a UUID', { task_id: 'abc' }, ['task_id']],
    ['a missing task id', {}, ['task_id']],
    ['a negative cursor', { task_id: TASK_ID, after: -1 }, ['after']],
    ['a string cursor', { task_id: TASK_ID, after: 'x' }, ['after']],
    [
      'too many log events',
      { task_id: TASK_ID, max_log_events: 501 },
      ['max_log_events'],
    ],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { task_id: TASK_ID, id: TASK_ID },
      'id',
    );
  });
});
