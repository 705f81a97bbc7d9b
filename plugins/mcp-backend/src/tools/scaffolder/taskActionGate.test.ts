import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { taskStartsForTests } from '../../__testUtils__/templateRuns';
import { createTaskActionGate } from './taskActionGate';
import { makeTask, TASK_ID } from './taskFixtures';

const alice = mockCredentials.user('user:default/alice');
const agent = mockCredentials.service('demo-agent');
const otherAgent = mockCredentials.service('other-agent');
const taskManager = mockCredentials.service('ops-bot', {
  permissionNames: ['mcp.task.manage.others'],
});

type Policy = AuthorizeResult.ALLOW | AuthorizeResult.DENY;

async function setup(options: { policy?: Policy; startedBy?: string } = {}) {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async requests =>
    requests.map(() => ({ result: options.policy ?? AuthorizeResult.DENY })),
  );
  const taskStarts = taskStartsForTests();
  if (options.startedBy) await taskStarts.record(TASK_ID, options.startedBy);
  return {
    gate: createTaskActionGate({ permissions, taskStarts }),
    permissions,
  };
}

describe('the task action gate', () => {
  it.each<
    [string, BackstageCredentials, { createdBy?: string; startedBy?: string }]
  >([
    [
      'a user, on a task the scaffolder records as theirs',
      alice,
      { createdBy: 'user:default/alice' },
    ],
    [
      'a user, on their task recorded in another case',
      alice,
      { createdBy: 'User:Default/Alice' },
    ],
    [
      'an agent, on a task it started through MCP',
      agent,
      { createdBy: undefined, startedBy: 'demo-agent' },
    ],
  ])('lets %s act without asking the policy', async (_case, caller, task) => {
    const { gate, permissions } = await setup({ startedBy: task.startedBy });
    await expect(
      gate({
        task: makeTask({ createdBy: task.createdBy }),
        caller,
        action: 'cancel',
      }),
    ).resolves.toBeUndefined();
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it.each<
    [
      string,
      BackstageCredentials,
      { createdBy?: string; startedBy?: string; policy?: Policy },
    ]
  >([
    [
      "a user the policy grants mcp.task.manage.others, on another user's task",
      alice,
      { createdBy: 'user:default/bob', policy: AuthorizeResult.ALLOW },
    ],
    [
      "a token whose restrictions name mcp.task.manage.others, on a user's task",
      taskManager,
      { createdBy: 'user:default/bob', policy: AuthorizeResult.ALLOW },
    ],
  ])('lets %s act, decided on that task', async (_case, caller, task) => {
    const { gate, permissions } = await setup({ policy: task.policy });
    await gate({
      task: makeTask({ createdBy: task.createdBy }),
      caller,
      action: 'retry',
    });
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'mcp.task.manage.others',
            resourceType: 'scaffolder-task',
          }),
          resourceRef: TASK_ID,
        },
      ],
      { credentials: caller },
    );
  });

  it.each<
    [
      string,
      BackstageCredentials,
      { createdBy?: string; startedBy?: string; policy?: Policy },
      RegExp,
      boolean,
    ]
  >([
    [
      "a user the policy denies, on another user's task",
      alice,
      { createdBy: 'user:default/bob' },
      /started by user:default\/bob, not by you.*policy grants that with mcp\.task\.manage\.others/,
      true,
    ],
    [
      'a user, on a task an agent started',
      alice,
      { createdBy: undefined, startedBy: 'demo-agent' },
      /started by another principal/,
      true,
    ],
    [
      "an agent's unrestricted token, on a user's task",
      agent,
      { createdBy: 'user:default/bob', policy: AuthorizeResult.ALLOW },
      /accessRestrictions for the plugin "mcp" name mcp\.task\.manage\.others/,
      false,
    ],
    [
      "an agent, on another agent's task",
      otherAgent,
      {
        createdBy: undefined,
        startedBy: 'demo-agent',
        policy: AuthorizeResult.ALLOW,
      },
      /started by another principal/,
      false,
    ],
    [
      'an agent whose subject differs in case only',
      mockCredentials.service('Demo-Agent'),
      { createdBy: undefined, startedBy: 'demo-agent' },
      /not by you/,
      false,
    ],
  ])(
    'refuses %s, saying why and what was not done',
    async (_case, caller, task, message, asked) => {
      const { gate, permissions } = await setup({
        policy: task.policy,
        startedBy: task.startedBy,
      });
      await expect(
        gate({
          task: makeTask({ createdBy: task.createdBy }),
          caller,
          action: 'cancel',
        }),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(message),
      });
      await expect(
        gate({
          task: makeTask({ createdBy: task.createdBy }),
          caller,
          action: 'cancel',
        }),
      ).rejects.toThrow(/Nothing was cancelled/);
      expect(permissions.authorize).toHaveBeenCalledTimes(asked ? 2 : 0);
    },
  );
});
