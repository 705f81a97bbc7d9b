import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
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
import { createScaffolderRetryTaskTool } from './scaffolderRetryTask';
import { OTHER_TASK_ID, TASK_ID } from './taskFixtures';

const config = readMcpConfig(new ConfigReader({}));
const alice = mockCredentials.user('user:default/alice');

function setup(retry: jest.Mock = jest.fn(async () => ({ id: TASK_ID }))) {
  const scaffolder = scaffolderServiceMock.mock({ retry });
  const tool = createScaffolderRetryTaskTool({ scaffolder, config });
  return { tool, scaffolder };
}

describe('scaffolder_retry_task', () => {
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
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'scaffolder.task.create',
      'scaffolder.task.read',
    ]);
  });

  it.each([
    ['the same task', TASK_ID],
    ['a new task', OTHER_TASK_ID],
  ])('retries with the caller\'s credentials and points to %s', async (_name, newId) => {
    const { tool, scaffolder } = setup(jest.fn(async () => ({ id: newId })));
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(scaffolder.retry).toHaveBeenCalledWith({ taskId: TASK_ID }, { credentials: alice });
    expect(result).toEqual({
      task_id: newId,
      retried_task_id: TASK_ID,
      next_step: expect.stringContaining(`scaffolder_get_task {"task_id": "${newId}"}`),
    });
  });

  it('answers an unknown task with an actionable not found', async () => {
    const { tool } = setup(jest.fn(async () => { throw new NotFoundError('no task'); }));
    await expect(callTool(tool, { task_id: TASK_ID }, alice)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('scaffolder_list_tasks'),
    });
  });

  it('passes the scaffolder\'s refusal on', async () => {
    const { tool } = setup(jest.fn(async () => { throw new NotAllowedError('Unauthorized'); }));
    await expect(callTool(tool, { task_id: TASK_ID }, alice)).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it.each([
    ['a task id that is not a UUID', { task_id: 'not-a-task' }, ['task_id']],
    ['a number as task id', { task_id: 42 }, ['task_id']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { task_id: TASK_ID, taskId: TASK_ID }, 'taskId');
  });
});
