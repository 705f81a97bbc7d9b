import { ResponseError } from '@backstage/errors';
import { LogEvent, ScaffolderTask } from '@backstage/plugin-scaffolder-common';

/** Test fixtures of the scaffolder task tools. */
export const TASK_ID = 'a1b2c3d4-0000-4000-8000-000000000001';
export const OTHER_TASK_ID = 'a1b2c3d4-0000-4000-8000-000000000002';

export function makeTask(
  overrides: Partial<ScaffolderTask> & Record<string, unknown> = {},
): ScaffolderTask {
  return {
    id: TASK_ID,
    status: 'processing',
    createdAt: '2026-01-01T10:00:00.000Z',
    lastHeartbeatAt: '2026-01-01T10:00:05.000Z',
    createdBy: 'user:default/alice',
    spec: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      parameters: { name: 'checkout', apiKey: 'hunter2' },
      steps: [
        { id: 'fetch', name: 'Fetch skeleton', action: 'fetch:template' },
        { id: 'publish', name: 'Publish', action: 'publish:github' },
        { id: 'register', name: 'Register', action: 'catalog:register' },
      ],
      output: {},
      templateInfo: { entityRef: 'template:default/create-service' },
      user: { ref: 'user:default/alice' },
    },
    secrets: { backstageToken: 'secret-token' },
    ...overrides,
  } as ScaffolderTask;
}

export function logEvent(
  id: number,
  message: string,
  extra: Partial<LogEvent['body']> & { output?: unknown } = {},
  type: LogEvent['type'] = 'log',
): LogEvent {
  return {
    id,
    taskId: TASK_ID,
    type,
    createdAt: `2026-01-01T10:00:${String(id).padStart(2, '0')}.000Z`,
    body: { message, ...extra },
  } as LogEvent;
}

/** How the scaffolder client reports a task the backend does not know. */
export async function remoteNotFound() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'Task with id x does not exist',
        },
        response: { statusCode: 404 },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'Content-Type': 'application/json' },
      },
    ) as any,
  );
}
