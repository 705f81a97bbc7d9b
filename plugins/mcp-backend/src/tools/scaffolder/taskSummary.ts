import { isError, NotFoundError } from '@backstage/errors';
import { ScaffolderTask } from '@backstage/plugin-scaffolder-common';
import { z } from 'zod';
import { looksLikeSecretKey } from '../../secretKeys';
import { truncate } from '../shared/entityRefs';
import { compact } from '../shared/entitySummary';

/** The task statuses agents may filter on. */
export const TASK_STATUSES = [
  'open',
  'processing',
  'completed',
  'failed',
  'cancelled',
] as const;

export type TaskStatusName = (typeof TASK_STATUSES)[number];

/** Statuses of a task that is still running: poll it again. */
export const RUNNING_STATUSES: readonly string[] = ['open', 'processing'];

const TASK_ID =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A scaffolder task id, as the scaffolder hands it out (a UUID). Checked in
 * code rather than as a pattern: the description says UUID, and the listed
 * regex (or a format, which Gemini refuses) would cost every session.
 */
export const taskIdField = z
  .string()
  .trim()
  .refine(
    value => TASK_ID.test(value),
    'Expected a task id (UUID), e.g. "a1b2c3d4-0000-4000-8000-000000000000"; find ids with scaffolder_list_tasks',
  )
  .describe(
    'Task id (UUID) from scaffolder_list_tasks or scaffolder_run_template',
  );

/** The concise form of a task used in lists and single-task results. */
export const taskSummarySchema = z.object({
  id: z.string(),
  template_ref: z
    .string()
    .optional()
    .describe(
      'The template the task was created from, e.g. "template:default/create-service"',
    ),
  status: z
    .string()
    .describe('open, processing, completed, failed, cancelled or skipped'),
  created_at: z.string(),
  created_by: z
    .string()
    .optional()
    .describe('The user entity ref of the task creator'),
  last_heartbeat_at: z.string().optional(),
});

export type TaskSummary = z.infer<typeof taskSummarySchema>;

/**
 * The concise form of a task. Parameters and secrets are left out on purpose:
 * parameters may hold values the template marks secret.
 */
export function summarizeTask(task: ScaffolderTask): TaskSummary {
  // The scaffolder backend sends createdBy with each task; the public type
  // does not declare it yet, so fall back to the spec's user.
  const createdBy = (task as { createdBy?: unknown }).createdBy;
  return compact({
    id: task.id,
    template_ref: task.spec?.templateInfo?.entityRef,
    status: task.status,
    created_at: task.createdAt,
    created_by:
      typeof createdBy === 'string' && createdBy
        ? createdBy
        : task.spec?.user?.ref,
    last_heartbeat_at: task.lastHeartbeatAt,
  });
}

/**
 * A copy of a JSON value without keys that look like they hold secrets
 * (backstageToken, secrets, password, ...), so that task output never leaks
 * them to an agent even when a template echoes them.
 */
export function stripSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return undefined;
  if (Array.isArray(value)) return value.map(v => stripSecrets(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !looksLikeSecretKey(key))
        .map(([key, v]) => [key, stripSecrets(v, depth + 1)]),
    );
  }
  if (typeof value === 'string') return truncate(value, 2000);
  return value;
}

function isNotFound(error: unknown): boolean {
  if (!isError(error)) return false;
  if (error.name === 'NotFoundError') return true;
  const remote = error as {
    cause?: unknown;
    statusCode?: number;
    response?: { status?: number };
  };
  if (error.name === 'ResponseError') {
    if (isError(remote.cause) && remote.cause.name === 'NotFoundError')
      return true;
  }
  return remote.statusCode === 404 || remote.response?.status === 404;
}

/** The error agents get for a task that does not exist or is hidden from them. */
export function taskNotFound(taskId: string) {
  return new NotFoundError(
    `No scaffolder task ${truncate(
      taskId,
      80,
    )} was found, or you may not read it. ` +
      'Find your tasks and their ids with scaffolder_list_tasks',
  );
}

/**
 * Runs a scaffolder call for one task, turning the scaffolder's not-found
 * answers (thrown or as a 404 response) into an actionable NotFoundError.
 */
export async function forTask<T>(
  taskId: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isNotFound(error)) throw taskNotFound(taskId);
    throw error;
  }
}
