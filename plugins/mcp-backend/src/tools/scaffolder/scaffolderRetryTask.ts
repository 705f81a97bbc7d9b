import {
  taskCreatePermission,
  taskReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { defineTool } from '../types';
import { TaskActionGate } from './taskActionGate';
import { forTask, taskIdField } from './taskSummary';

/** `scaffolder_retry_task`: run a failed or cancelled task again. */
export function createScaffolderRetryTaskTool(deps: {
  scaffolder: ScaffolderService;
  config: McpConfig;
  assertMayActOnTask: TaskActionGate;
}) {
  const { scaffolder, assertMayActOnTask } = deps;
  return defineTool({
    name: 'scaffolder_retry_task',
    title: 'Retry a failed scaffolder task',
    toolset: 'scaffolder',
    description: [
      "Run a failed or cancelled scaffolder task again with the same values; its steps may act on external systems again. Others' tasks need the mcp.task.manage.others permission. Follow it with scaffolder_get_task.",
    ].join('\n'),
    inputSchema: z.strictObject({ task_id: taskIdField }),
    outputSchema: z.object({
      task_id: z
        .string()
        .describe('The id of the task that now runs (often the same id)'),
      retried_task_id: z.string(),
      next_step: z.string(),
    }),
    downstreamPermissions: [taskCreatePermission, taskReadPermission],
    annotations: {
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      // Retried steps act on external systems (SCM hosts, CI, cloud).
      openWorldHint: true,
    },
    async handle(input, { credentials, caller }) {
      const taskId = input.task_id;
      const task = await forTask(taskId, () =>
        scaffolder.getTask({ taskId }, { credentials }),
      );
      await assertMayActOnTask({ task, caller, action: 'retry' });
      const result = await forTask(taskId, () =>
        scaffolder.retry({ taskId }, { credentials }),
      );
      const newId = result?.id ?? taskId;
      return {
        task_id: newId,
        retried_task_id: taskId,
        next_step: `Follow the run with scaffolder_get_task {"task_id": "${newId}"}, and again with after=next_log_cursor while its status is open or processing`,
      };
    },
  });
}
