import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
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
import { createScaffolderCancelTaskTool } from './scaffolderCancelTask';
import { remoteNotFound, TASK_ID } from './taskFixtures';

const config = readMcpConfig(new ConfigReader({}));
const alice = mockCredentials.user('user:default/alice');

function setup(cancelTask: jest.Mock = jest.fn(async () => ({ status: 'cancelled' as const }))) {
  const scaffolder = scaffolderServiceMock.mock({ cancelTask });
  const tool = createScaffolderCancelTaskTool({ scaffolder, config });
  return { tool, scaffolder };
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

  it('cancels the task with the caller\'s credentials and says what to do next', async () => {
    const { tool, scaffolder } = setup();
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(scaffolder.cancelTask).toHaveBeenCalledWith({ taskId: TASK_ID }, { credentials: alice });
    expect(result).toEqual({
      id: TASK_ID,
      status: 'cancelled',
      next_step: expect.stringContaining(`scaffolder_get_task {"task_id": "${TASK_ID}"}`),
    });
  });

  it('accepts an answer without a status', async () => {
    const { tool } = setup(jest.fn(async () => ({})));
    const result = await callTool(tool, { task_id: TASK_ID }, alice);
    expect(result.status).toBeUndefined();
  });

  it('answers an unknown task with an actionable not found', async () => {
    const error = await remoteNotFound();
    const { tool } = setup(jest.fn(async () => { throw error; }));
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
    ['a task id that is not a UUID', { task_id: '../tasks' }, ['task_id']],
    ['a missing task id', {}, ['task_id']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    const { tool, scaffolder } = setup();
    expectInputIssue(tool, args, path);
    expect(scaffolder.cancelTask).not.toHaveBeenCalled();
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { task_id: TASK_ID, force: true }, 'force');
  });
});
