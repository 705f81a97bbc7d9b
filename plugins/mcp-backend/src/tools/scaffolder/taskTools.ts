import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { McpConfig } from '../../config';
import { McpTool } from '../types';
import { createScaffolderCancelTaskTool } from './scaffolderCancelTask';
import { createScaffolderGetTaskTool } from './scaffolderGetTask';
import { createScaffolderListTasksTool } from './scaffolderListTasks';
import { createScaffolderRetryTaskTool } from './scaffolderRetryTask';
import { TaskActionGate } from './taskActionGate';

/** The scaffolder task tools, in listing order. */
export function scaffolderTaskTools(deps: {
  scaffolder: ScaffolderService;
  config: McpConfig;
  assertMayActOnTask: TaskActionGate;
}): McpTool[] {
  return [
    createScaffolderListTasksTool(deps),
    createScaffolderGetTaskTool(deps),
    createScaffolderCancelTaskTool(deps),
    createScaffolderRetryTaskTool(deps),
  ];
}
