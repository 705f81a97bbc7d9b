import { taskReadPermission } from '@backstage/plugin-scaffolder-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { defineTool } from '../types';
import {
  deriveSteps,
  extractOutput,
  summarizeError,
  taskErrorSchema,
  taskLogEventSchema,
  taskOutputSchema,
  taskStatus,
  taskStepSchema,
  toLogEvent,
} from './taskLogs';
import {
  forTask,
  RUNNING_STATUSES,
  summarizeTask,
  taskIdField,
} from './taskSummary';

const MAX_LOG_EVENTS = 500;

/** `scaffolder_get_task`: one task's status, steps, new log lines and output. */
export function createScaffolderGetTaskTool(deps: {
  scaffolder: ScaffolderService;
  config: McpConfig;
}) {
  const { scaffolder } = deps;
  return defineTool({
    name: 'scaffolder_get_task',
    title: 'Get a scaffolder task and its logs',
    toolset: 'scaffolder',
    description: [
      "A scaffolder task's status, steps, logs, output links and errors. While it runs, call again with after=next_log_cursor for new events only.",
      'Example: {"task_id": "<id>", "after": 42}',
    ].join('\n'),
    inputSchema: z.strictObject({
      task_id: taskIdField,
      after: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe('next_log_cursor of the previous call: only later events'),
      max_log_events: z
        .number()
        .int()
        .min(0)
        .max(MAX_LOG_EVENTS)
        .default(50)
        .describe('Most log events; 0 for status and steps only'),
    }),
    outputSchema: z.object({
      id: z.string(),
      status: z.string(),
      template_ref: z.string().optional(),
      created_at: z.string(),
      created_by: z.string().optional(),
      last_heartbeat_at: z.string().optional(),
      steps: z.array(taskStepSchema),
      log_events: z.array(taskLogEventSchema),
      next_log_cursor: z
        .number()
        .int()
        .optional()
        .describe('Pass as after for newer events'),
      more_log_events: z
        .number()
        .int()
        .optional()
        .describe('Events after next_log_cursor left out'),
      output: taskOutputSchema.optional(),
      error: taskErrorSchema.optional(),
      hint: z.string(),
    }),
    downstreamPermissions: [taskReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const taskId = input.task_id;
      // All events are read, not only those after the cursor, so that step
      // statuses, the output and the error summary stay right while polling.
      const [task, events] = await forTask(taskId, () =>
        Promise.all([
          scaffolder.getTask({ taskId }, { credentials }),
          scaffolder.getLogs({ taskId }, { credentials }),
        ]),
      );
      const after = input.after;
      const fresh = events
        .filter(e => after === undefined || e.id > after)
        .sort((a, b) => a.id - b.id);
      const shown = fresh.slice(0, input.max_log_events);
      const left = fresh.length - shown.length;
      const nextLogCursor = shown.length ? shown[shown.length - 1].id : after;
      const steps = deriveSteps(task, events);
      const status = taskStatus(task, events);
      const summary = { ...summarizeTask(task), status };
      const running = RUNNING_STATUSES.includes(status);

      const hints: string[] = [];
      if (left > 0) {
        hints.push(
          `${left} more log events were left out: call scaffolder_get_task again with after=${nextLogCursor} to read them.`,
        );
      }
      if (running) {
        hints.push(
          `The task is still ${
            task.status
          }: poll again in a few seconds with {"task_id": "${
            task.id
          }", "after": ${nextLogCursor ?? 0}} to get only new log events.`,
        );
      } else if (status === 'failed') {
        hints.push(
          'The task failed: see error for the failing step. Fix the cause, then call scaffolder_retry_task to rerun it.',
        );
      } else if (status === 'completed') {
        hints.push(
          'The task completed: see output for links to what it created.',
        );
      } else {
        hints.push(`The task is ${status} and will not change any more.`);
      }

      return {
        ...summary,
        steps,
        log_events: shown.map(toLogEvent),
        next_log_cursor: nextLogCursor,
        more_log_events: left > 0 ? left : undefined,
        output: extractOutput(task, events),
        error: status === 'failed' ? summarizeError(steps, events) : undefined,
        hint: hints.join(' '),
      };
    },
  });
}
