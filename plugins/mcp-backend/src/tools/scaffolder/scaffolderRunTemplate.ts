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
import { principalOf } from '../../governance/agentIdentity';
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
import { TemplateRunGate } from './templateRunGate';

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
      'Run a software template: creates a scaffolder task that does what the template says (create a repository, register a component, ...). Not idempotent: every successful call starts a new task.',
      'Before calling: get the parameters with scaffolder_get_template, fill them (ask the user what you cannot infer) and check them with scaffolder_validate_values. Invalid values are refused with a report per field and nothing runs.',
      'Never pass secret fields: when the template needs secrets, the user enters them on a portal page, signed in to the portal; clients that support URL elicitation open it for the user, otherwise the error gives you the link for the user: once they have entered the secrets, call again with the same arguments. Static-token agents may ask for secrets only where the portal names who enters them. Missing plain values are asked from the user in a form where the client supports elicitation.',
      'With wait=true the tool follows the task, sending progress notifications per step, for up to wait_seconds, and returns its outcome with output links; otherwise it returns the task id at once: follow it with scaffolder_get_task.',
      'Example: {"ref": "nodejs-service", "values": {"name": "gift-card-service", "owner": "group:default/payments-team", "system": "system:default/payments"}, "wait": true}.',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      values: z
        .record(z.string().max(200), z.unknown())
        .default({})
        .describe(
          'The template parameters, field name to value, as validated with scaffolder_validate_values. Never include secret fields',
        ),
      wait: z
        .boolean()
        .default(false)
        .describe(
          'true: follow the task with progress notifications until it finishes or wait_seconds pass; false (default): return the task id at once',
        ),
      wait_seconds: z
        .number()
        .int()
        .min(1)
        .max(MAX_WAIT_SECONDS)
        .default(DEFAULT_WAIT_SECONDS)
        .describe(`With wait=true, the longest time to follow the task, 1 to ${MAX_WAIT_SECONDS} seconds (default ${DEFAULT_WAIT_SECONDS}); the task goes on after that`),
      secret_request: z
        .string()
        .uuid()
        .optional()
        .describe(
          'Not needed: a call with the same arguments picks up the secrets the user entered. Accepted from agents that kept an id from earlier versions of this tool',
        ),
    }),
    outputSchema: z.object({
      task_id: z.string().describe('The scaffolder task; follow it with scaffolder_get_task'),
      template_ref: z.string(),
      status: z.string().describe('open, processing, completed, failed or cancelled'),
      finished: z.boolean().describe('True when the task no longer runs'),
      steps: z.array(taskStepSchema).optional().describe('With wait=true: each step with its status'),
      output: taskOutputSchema.optional().describe('Links and text the template produced, once completed'),
      error: taskErrorSchema.optional().describe('Present when the task failed'),
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
      const template = await loadTemplate({ catalog, scaffolder, credentials, input: input.ref });
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
      if (inputs.secretRequestId) await deps.secretRequests.delete(inputs.secretRequestId);
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
