import {
  taskCancelPermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { defineTool } from '../types';
import { TaskActionGate } from './taskActionGate';
import { forTask, taskIdField } from './taskSummary';

/** `scaffolder_cancel_task`: stop a running scaffolder task. */
export function createScaffolderCancelTaskTool(deps: {
  scaffolder: ScaffolderService;
  config: McpConfig;
  assertMayActOnTask: TaskActionGate;
}) {
  const { scaffolder, assertMayActOnTask } = deps;
  return defineTool({
    name: 'scaffolder_cancel_task',
    title: 'Cancel a running scaffolder task',
    toolset: 'scaffolder',
    description: [
      "Stop an open or processing scaffolder task before its next step; steps that ran are not undone. Others' tasks need the mcp.task.manage.others permission.",
    ].join('\n'),
    inputSchema: z.strictObject({ task_id: taskIdField }),
    outputSchema: z.object({
      id: z.string(),
      status: z
        .string()
        .optional()
        .describe('The status the scaffolder reported, usually cancelled'),
      next_step: z.string(),
    }),
    downstreamPermissions: [taskCancelPermission, taskReadPermission],
    annotations: {
      readOnlyHint: false,
      // It stops work in progress, and a stopped run cannot be resumed as is.
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: false,
    },
    async handle(input, { credentials, caller }) {
      const taskId = input.task_id;
      const task = await forTask(taskId, () =>
        scaffolder.getTask({ taskId }, { credentials }),
      );
      await assertMayActOnTask({ task, caller, action: 'cancel' });
      const result = await forTask(taskId, () =>
        scaffolder.cancelTask({ taskId }, { credentials }),
      );
      return {
        id: taskId,
        status: result?.status,
        next_step:
          `Call scaffolder_get_task {"task_id": "${taskId}"} in a few seconds to confirm the task is cancelled; ` +
          'cancelling stops the remaining steps but does not undo steps that already ran. Use scaffolder_retry_task to run it again',
      };
    },
  });
}
