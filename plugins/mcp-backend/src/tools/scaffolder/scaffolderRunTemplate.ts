import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  taskCreatePermission,
  taskReadPermission,
  templateParameterReadPermission,
  templateStepReadPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { JsonValue } from '@backstage/types';
import { mcpTemplateRunPermission } from '@backstage-mcp/plugin-mcp-common';
import { inputRequired } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { principalOf } from '../../governance/callerIdentity';
import { entityRefField } from '../shared/fields';
import { defineTool } from '../types';
import { followTask } from './followTask';
import { gatherRunInputs } from './runInputs';
import { SecretEntrantsOf } from './secretEntrants';
import { SecretRequestStore } from './secretRequests';
import { TaskStartRecord } from './taskStarts';
import {
  deriveSteps,
  extractOutput,
  summarizeError,
  taskErrorSchema,
  taskOutputSchema,
  taskStatus,
  taskStepSchema,
} from './taskLogs';
import { loadTemplate } from './templateSchema';
import { TemplateRunGate } from '../../governance/templateRunGate';

const MAX_WAIT_SECONDS = 300;
const DEFAULT_WAIT_SECONDS = 60;

/** `scaffolder_run_template`: validate values, then start (and follow) a task. */
export function createScaffolderRunTemplateTool(deps: {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  assertMayRunTemplate: TemplateRunGate;
  secretRequests: SecretRequestStore;
  secretEntrants: SecretEntrantsOf;
  secretEntryUrl: string;
  taskStarts: TaskStartRecord;
}) {
  const { catalog, scaffolder, assertMayRunTemplate } = deps;
  return defineTool({
    name: 'scaffolder_run_template',
    title: 'Run a software template',
    toolset: 'scaffolder',
    description: [
      'Run a software template; each call starts a new task. First scaffolder_get_template, ask the user what you cannot infer, scaffolder_validate_values; invalid values are refused.',
      'Never pass secret fields: the user enters them on a portal page (the client opens it or the error links to it), then call again alike. Without wait, follow task_id with scaffolder_get_task.',
      'Example: {"ref": "nodejs-service", "values": {"name": "gift-cards"}, "wait": true}',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      values: z
        .record(z.string().max(200), z.unknown())
        .default({})
        .describe('Parameter name to value; never secret fields'),
      wait: z
        .boolean()
        .default(false)
        .describe(
          'Follow the task until it ends or wait_seconds pass, and return its outcome',
        ),
      wait_seconds: z
        .number()
        .int()
        .min(1)
        .max(MAX_WAIT_SECONDS)
        .default(DEFAULT_WAIT_SECONDS)
        .describe('Longest time to follow the task; it goes on after'),
      secret_request: z
        .string()
        .uuid()
        .optional()
        .describe('Not needed; accepted from older agents'),
    }),
    outputSchema: z.object({
      task_id: z.string().describe('Follow it with scaffolder_get_task'),
      template_ref: z.string(),
      status: z.string(),
      finished: z.boolean(),
      steps: z.array(taskStepSchema).optional().describe('With wait=true'),
      output: taskOutputSchema.optional().describe('Once completed'),
      error: taskErrorSchema.optional(),
      next_step: z.string(),
    }),
    opaqueInputs: ['values'],
    downstreamPermissions: [
      catalogEntityReadPermission,
      templateParameterReadPermission,
      templateStepReadPermission,
      taskCreatePermission,
      taskReadPermission,
      mcpTemplateRunPermission,
    ],
    annotations: {
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      // Templates publish to systems outside the portal (e.g. a Git host).
      openWorldHint: true,
    },
    waitsMs: input => (input.wait ? input.wait_seconds * 1000 : 0),
    async handle(input, { credentials, caller, interaction, signal, client }) {
      const template = await loadTemplate({
        catalog,
        scaffolder,
        credentials,
        input: input.ref,
      });
      await assertMayRunTemplate(template, caller);

      const inputs = await gatherRunInputs({
        template,
        values: input.values,
        secretRequestId: input.secret_request,
        caller,
        client,
        interaction,
        secretRequests: deps.secretRequests,
        secretEntrants: deps.secretEntrants,
        secretEntryUrl: deps.secretEntryUrl,
      });
      if ('inputRequests' in inputs) return inputRequired(inputs);

      const { taskId } = await scaffolder.scaffold(
        {
          templateRef: template.ref,
          values: inputs.values as Record<string, JsonValue>,
          secrets: inputs.secrets,
        },
        { credentials },
      );
      // The scaffolder records the creator of a task only for users.
      if ((caller.principal as { type?: string }).type !== 'user') {
        await deps.taskStarts.record(taskId, principalOf(caller));
      }
      if (inputs.secretRequestId)
        await deps.secretRequests.delete(inputs.secretRequestId);
      const follow = `Follow it with scaffolder_get_task {"task_id": "${taskId}"}`;

      if (!input.wait) {
        return {
          task_id: taskId,
          template_ref: template.ref,
          status: 'open',
          finished: false,
          next_step: `The task started. ${follow}; stop it with scaffolder_cancel_task`,
        };
      }

      const { task, events, finished } = await followTask({
        scaffolder,
        credentials,
        taskId,
        budgetMs: input.wait_seconds * 1000,
        signal,
        reportProgress: interaction.reportProgress,
      });
      const steps = deriveSteps(task, events);
      const status = taskStatus(task, events);
      let nextStep: string;
      if (!finished) {
        nextStep = `The task is still ${status} after ${input.wait_seconds} s. ${follow}, or stop it with scaffolder_cancel_task`;
      } else if (status === 'completed') {
        nextStep = 'The task completed: give the user the output links';
      } else if (status === 'failed') {
        nextStep = `The task failed: see error. ${follow} for the full log; after fixing the cause, scaffolder_retry_task reruns it`;
      } else {
        nextStep = `The task ended ${status}`;
      }
      return {
        task_id: taskId,
        template_ref: template.ref,
        status,
        finished,
        steps,
        output: extractOutput(task, events),
        error: status === 'failed' ? summarizeError(steps, events) : undefined,
        next_step: nextStep,
      };
    },
  });
}
