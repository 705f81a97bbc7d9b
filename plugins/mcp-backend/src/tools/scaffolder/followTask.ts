import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { LogEvent, ScaffolderTask } from '@backstage/plugin-scaffolder-common';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { McpClientInteraction } from '../types';
import { deriveSteps } from './taskLogs';
import { RUNNING_STATUSES } from './taskSummary';

const IDLE_PAUSE_MS = 500;
const FINAL_READ_MS = 2000;
const FINISHED_STEP_STATUSES = ['completed', 'failed', 'cancelled', 'skipped'];

/** Where following a task ended. */
export interface FollowedTask {
  task: ScaffolderTask;
  events: LogEvent[];
  /** True when the task stopped running before the time budget ran out. */
  finished: boolean;
}

/** Resolves with the promise's value, or undefined once `ms` passed or `signal` aborted. */
async function within<T>(
  promise: Promise<T>,
  ms: number,
  signal?: AbortSignal,
) {
  const timer = new AbortController();
  const abandon = () => timer.abort();
  signal?.addEventListener('abort', abandon, { once: true });
  try {
    return await Promise.race([
      promise,
      sleep(Math.max(ms, 0), undefined, { signal: timer.signal }).then(
        () => undefined,
        () => undefined,
      ),
    ]);
  } finally {
    timer.abort();
    signal?.removeEventListener('abort', abandon);
  }
}

function progressOf(task: ScaffolderTask, events: LogEvent[]) {
  const steps = deriveSteps(task, events);
  const done = steps.filter(s =>
    FINISHED_STEP_STATUSES.includes(s.status),
  ).length;
  const current = steps.find(s => s.status === 'processing');
  const message = current
    ? `${current.name ?? current.id}: processing`
    : `task ${task.status}`;
  return { progress: done, total: steps.length, message };
}

/**
 * Follows a task until it stops running, the time budget runs out or the
 * client goes away, and reports step progress to the client as it changes.
 * Log events are read with the scaffolder's long poll (it answers as soon as
 * there are events after the cursor), so nothing is polled in a busy loop.
 */
export async function followTask(options: {
  scaffolder: ScaffolderService;
  credentials: BackstageCredentials;
  taskId: string;
  budgetMs: number;
  signal?: AbortSignal;
  reportProgress: McpClientInteraction['reportProgress'];
}): Promise<FollowedTask> {
  const { scaffolder, credentials, taskId, signal, reportProgress } = options;
  const deadline = Date.now() + options.budgetMs;
  const events: LogEvent[] = [];
  let task = await scaffolder.getTask({ taskId }, { credentials });
  let reported = '';

  const readNewEvents = async (waitMs: number) => {
    const after = events.length ? events[events.length - 1].id : undefined;
    const fresh = await within(
      scaffolder.getLogs({ taskId, after }, { credentials }),
      waitMs,
      signal,
    );
    events.push(
      ...(fresh ?? [])
        .filter(e => after === undefined || e.id > after)
        .sort((a, b) => a.id - b.id),
    );
    return fresh;
  };

  for (;;) {
    const running = RUNNING_STATUSES.includes(task.status);
    if (!running && !events.some(e => e.type === 'completion')) {
      // The task ended between two reads: its last events (with the output)
      // are stored already, so the long poll answers at once.
      await readNewEvents(FINAL_READ_MS);
    }
    const progress = progressOf(task, events);
    const key = JSON.stringify(progress);
    if (key !== reported) {
      reported = key;
      await reportProgress(progress);
    }
    if (!running || signal?.aborted || Date.now() >= deadline) {
      return { task, events, finished: !running };
    }
    const fresh = await readNewEvents(deadline - Date.now());
    if (fresh?.length === 0) {
      // An empty answer (the long poll's own timeout): pause before asking again.
      await sleep(
        Math.max(0, Math.min(IDLE_PAUSE_MS, deadline - Date.now())),
        undefined,
        { signal },
      ).catch(() => undefined);
    }
    task = await scaffolder.getTask({ taskId }, { credentials });
  }
}
