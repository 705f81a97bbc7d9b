import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ScaffolderTask } from '@backstage/plugin-scaffolder-common';
import { mcpTaskManageOthersPermission } from '@backstage-mcp/plugin-mcp-common';
import { principalOf } from '../../governance/callerIdentity';
import { principalKey } from '../../governance/principals';
import { tokenNamesPermission } from '../../permissions/explicitServiceGrant';
import { TaskStartRecord } from './taskStarts';

/** What the gate decides on: a task the caller may read, and who calls. */
export interface TaskAction {
  task: ScaffolderTask;
  caller: BackstageCredentials;
  action: 'cancel' | 'retry';
}

const isUser = (credentials: BackstageCredentials) =>
  (credentials.principal as { type?: string }).type === 'user';

/** The user the scaffolder records as the task's creator, keyed like principals. */
function createdBy(task: ScaffolderTask): string | undefined {
  // The scaffolder backend sends createdBy; the public type does not declare it.
  const creator = (task as { createdBy?: unknown }).createdBy;
  return typeof creator === 'string' && creator
    ? principalKey(creator)
    : undefined;
}

/**
 * Decides whether a caller may cancel or retry a task through MCP, before
 * the scaffolder is asked to: its own tasks always (the scaffolder's own
 * permissions still apply then), anyone else's only with
 * `mcp.task.manage.others` on that task. A user owns the tasks the
 * scaffolder records as created by them; a service principal, for which the
 * scaffolder records no creator, the tasks it started through MCP.
 */
export function createTaskActionGate(deps: {
  permissions: PermissionsService;
  taskStarts: TaskStartRecord;
}) {
  const { permissions, taskStarts } = deps;

  async function mayActOnOthersTasks(
    caller: BackstageCredentials,
    taskId: string,
  ) {
    // An agent's unrestricted token must not act on everyone's tasks by accident.
    if (
      !isUser(caller) &&
      !tokenNamesPermission(caller, mcpTaskManageOthersPermission)
    ) {
      return false;
    }
    const [decision] = await permissions.authorize(
      [{ permission: mcpTaskManageOthersPermission, resourceRef: taskId }],
      { credentials: caller },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  return async function assertMayActOnTask({
    task,
    caller,
    action,
  }: TaskAction): Promise<void> {
    const creator = isUser(caller)
      ? createdBy(task)
      : await taskStarts.startedBy(task.id);
    if (creator !== undefined && creator === principalOf(caller)) return;
    if (await mayActOnOthersTasks(caller, task.id)) return;

    const startedBy = createdBy(task) ?? 'another principal';
    const grant = isUser(caller)
      ? `the permission policy grants that with ${mcpTaskManageOthersPermission.name}`
      : `a token does that only when its accessRestrictions for the plugin "mcp" name ${mcpTaskManageOthersPermission.name}`;
    throw new NotAllowedError(
      `Task ${task.id} was started by ${startedBy}, not by you, and through MCP you may ${action} only the tasks you started (${grant}). ` +
        `Nothing was ${
          action === 'cancel' ? 'cancelled' : 'retried'
        }. Ask whoever started it, or an administrator of the portal`,
    );
  };
}

/** See {@link createTaskActionGate}. */
export type TaskActionGate = ReturnType<typeof createTaskActionGate>;
