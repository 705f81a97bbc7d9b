import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { z } from 'zod';
import {
  callTool,
  expectEveryPropertyDescribed,
  expectInputIssue,
  expectUnknownKeyRejected,
  listedDefinition,
} from '../../__testUtils__/toolTesting';
import { taskStartsForTests } from '../../__testUtils__/templateRuns';
import { readMcpConfig } from '../../config';
import { createScaffolderCancelTaskTool } from './scaffolderCancelTask';
import { createTaskActionGate } from './taskActionGate';
import { makeTask, remoteNotFound, TASK_ID } from './taskFixtures';

const config = readMcpConfig(new ConfigReader({}));
const alice = mockCredentials.user('user:default/alice');

const demoAgent = mockCredentials.service('demo-agent');

/** Task tools act on the caller's own tasks unless the policy grants more (DENY here by default). */
function setup(
  cancelTask: jest.Mock = jest.fn(async () => ({
    status: 'cancelled' as const,
  })),
  options: {
    createdBy?: string;
    startedBy?: string;
    policy?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    getTask?: jest.Mock;
  } = {},
) {
  const createdBy =
    'createdBy' in options ? options.createdBy : 'user:default/alice';
  const scaffolder = scaffolderServiceMock.mock({
    cancelTask,
    getTask: options.getTask ?? jest.fn(async () => makeTask({ createdBy })),
  });
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async requests =>
    requests.map(() => ({ result: options.policy ?? AuthorizeResult.DENY })),
  );
  const taskStarts = taskStartsForTests();
  const tool = createScaffolderCancelTaskTool({
    scaffolder,
    config,
    assertMayActOnTask: createTaskActionGate({ permissions, taskStarts }),
  });
  const started = options.startedBy
    ? taskStarts.record(TASK_ID, options.startedBy)
    : Promise.resolve();
  return { tool, scaffolder, ready: () => started };
}

describe('scaffolder_cancel_task', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('states honest annotations and describes its input', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual(['task_id']);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'scaffolder.task.cancel',
      'scaffolder.task.read',
    ]);
  });

  it("cancels the task with the caller's credentials and says what to do next", async () => {
    const { tool, scaffolder } = setup();
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(scaffolder.cancelTask).toHaveBeenCalledWith(
      { taskId: TASK_ID },
      { credentials: alice },
    );
    expect(result).toEqual({
      id: TASK_ID,
      status: 'cancelled',
      next_step: expect.stringContaining(
        `scaffolder_get_task {"task_id": "${TASK_ID}"}`,
      ),
    });
  });

  it('accepts an answer without a status', async () => {
    const { tool } = setup(jest.fn(async () => ({})));
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(result.status).toBeUndefined();
  });

  it('answers an unknown task with an actionable not found', async () => {
    const error = await remoteNotFound();
    const { tool, scaffolder } = setup(undefined, {
      getTask: jest.fn(async () => {
        throw error;
      }),
    });
    await expect(
      callTool(tool, { task_id: TASK_ID }, alice),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('scaffolder_list_tasks'),
    });
    expect(scaffolder.cancelTask).not.toHaveBeenCalled();
  });

  it("passes the scaffolder's refusal on", async () => {
    const { tool } = setup(
      jest.fn(async () => {
        throw new NotAllowedError('Unauthorized');
      }),
    );
    await expect(
      callTool(tool, { task_id: TASK_ID }, alice),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it.each<
    [string, BackstageCredentials, { createdBy?: string; startedBy?: string }]
  >([
    ["another user's task", alice, { createdBy: 'user:default/bob' }],
    [
      'a task another agent started',
      demoAgent,
      { createdBy: undefined, startedBy: 'other-agent' },
    ],
    [
      "a user's task, with an agent's unrestricted token",
      demoAgent,
      { createdBy: 'user:default/bob' },
    ],
  ])(
    'refuses to cancel %s, without asking the scaffolder to',
    async (_case, caller, task) => {
      const { tool, scaffolder, ready } = setup(undefined, task);
      await ready();
      await expect(
        callTool(tool, { task_id: TASK_ID }, caller),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining('Nothing was cancelled'),
      });
      expect(scaffolder.getTask).toHaveBeenCalledWith(
        { taskId: TASK_ID },
        { credentials: caller },
      );
      expect(scaffolder.cancelTask).not.toHaveBeenCalled();
    },
  );

  it.each<[string, BackstageCredentials, Parameters<typeof setup>[1]]>([
    [
      'a task it started, as an agent',
      demoAgent,
      { createdBy: undefined, startedBy: 'demo-agent' },
    ],
    [
      "another user's task, where the policy grants mcp.task.manage.others",
      alice,
      { createdBy: 'user:default/bob', policy: AuthorizeResult.ALLOW },
    ],
  ])('cancels %s', async (_case, caller, task) => {
    const { tool, scaffolder, ready } = setup(undefined, task);
    await ready();
    await callTool(tool, { task_id: TASK_ID }, caller);
    expect(scaffolder.cancelTask).toHaveBeenCalledWith(
      { taskId: TASK_ID },
      { credentials: caller },
    );
  });

  it.each([
    ['a task id that is not a UUID', { task_id: '../tasks' }, ['task_id']],
    ['a missing task id', {}, ['task_id']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    const { tool, scaffolder } = setup();
    expectInputIssue(tool, args, path);
    expect(scaffolder.cancelTask).not.toHaveBeenCalled();
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { task_id: TASK_ID, force: true },
      'force',
    );
  });
});
