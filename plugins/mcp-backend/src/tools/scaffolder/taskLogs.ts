import { LogEvent, ScaffolderTask } from '@backstage/plugin-scaffolder-common';
import { z } from 'zod';
import { truncate } from '../shared/entityRefs';
import { compact } from '../shared/entitySummary';
import { stripSecrets } from './taskSummary';

const MESSAGE_CHARS = 500;
const ERROR_MESSAGES = 5;

export const taskStepSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  action: z.string().optional(),
  status: z
    .string()
    .describe(
      'not_started, open, processing, completed, failed, cancelled or skipped',
    ),
});

export const taskLogEventSchema = z.object({
  id: z.number().int(),
  created_at: z.string(),
  step_id: z.string().optional(),
  message: z
    .string()
    .describe(`The log line, cut to ${MESSAGE_CHARS} characters`),
  status: z.string().optional(),
});

export const taskOutputSchema = z.object({
  links: z
    .array(
      z.object({
        title: z.string().optional(),
        url: z.string().optional(),
        entity_ref: z.string().optional(),
      }),
    )
    .optional(),
  text: z
    .array(
      z.object({
        title: z.string().optional(),
        content: z.string().optional(),
      }),
    )
    .optional(),
  values: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'Other output values of the template, without secret-looking fields',
    ),
});

export const taskErrorSchema = z.object({
  step_id: z.string().optional().describe('The step that failed, when known'),
  step_name: z.string().optional(),
  messages: z
    .array(z.string())
    .describe('The last log messages of the failing step'),
});

type Step = z.infer<typeof taskStepSchema>;

function eventSteps(event: LogEvent) {
  return event.body?.stepId;
}

/** The steps of the task, each with the last status its log events reported. */
export function deriveSteps(task: ScaffolderTask, events: LogEvent[]): Step[] {
  const statuses = new Map<string, string>();
  for (const event of events) {
    const stepId = eventSteps(event);
    if (stepId && event.body.status) statuses.set(stepId, event.body.status);
  }
  return (task.spec?.steps ?? []).map(step =>
    compact({
      id: step.id,
      name: step.name,
      action: step.action,
      status: statuses.get(step.id) ?? 'not_started',
    }),
  );
}

/**
 * The task's status as a user would name it: the scaffolder ends a cancelled
 * run as failed, with a cancelled event in its log.
 */
export function taskStatus(task: ScaffolderTask, events: LogEvent[]): string {
  return task.status === 'failed' && events.some(e => e.type === 'cancelled')
    ? 'cancelled'
    : task.status;
}

export function toLogEvent(event: LogEvent) {
  return compact({
    id: event.id,
    created_at: event.createdAt,
    step_id: event.body?.stepId,
    message: truncate(String(event.body?.message ?? ''), MESSAGE_CHARS),
    status: event.body?.status,
  });
}

function asString(value: unknown) {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The task's output, from the completion event (where the scaffolder sends
 * it) or the task itself; secret-looking fields are removed.
 */
export function extractOutput(task: ScaffolderTask, events: LogEvent[]) {
  const completion = [...events].reverse().find(e => e.type === 'completion');
  const raw =
    (completion?.body as { output?: unknown } | undefined)?.output ??
    (task as { output?: unknown }).output;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const { links, text, ...rest } = stripSecrets(raw) as Record<string, unknown>;
  const records = (value: unknown) =>
    Array.isArray(value)
      ? value.filter(
          (v): v is Record<string, unknown> => !!v && typeof v === 'object',
        )
      : [];
  const output = compact({
    links: records(links).map(l =>
      compact({
        title: asString(l.title),
        url: asString(l.url),
        entity_ref: asString(l.entityRef),
      }),
    ),
    text: records(text).map(t =>
      compact({ title: asString(t.title), content: asString(t.content) }),
    ),
    values: Object.keys(rest).length ? rest : undefined,
  });
  return Object.keys(output).length ? output : undefined;
}

/** What went wrong in a failed task: the failing step and its last messages. */
export function summarizeError(steps: Step[], events: LogEvent[]) {
  const failed = [...steps].reverse().find(s => s.status === 'failed');
  const relevant = failed
    ? events.filter(e => eventSteps(e) === failed.id)
    : events.filter(e => e.type !== 'log' || e.body?.status === 'failed');
  const messages = relevant
    .slice(-ERROR_MESSAGES)
    .map(e => truncate(String(e.body?.message ?? ''), MESSAGE_CHARS))
    .filter(Boolean);
  return {
    ...compact({ step_id: failed?.id, step_name: failed?.name }),
    messages,
  };
}
