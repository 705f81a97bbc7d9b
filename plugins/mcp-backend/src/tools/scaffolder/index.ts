import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { McpConfig } from '../../config';
import { McpTool } from '../types';
import { scaffolderReadTools } from './readTools';
import { createScaffolderRunTemplateTool } from './scaffolderRunTemplate';
import { SecretEntrantsOf } from './secretEntrants';
import { SecretRequestStore } from './secretRequests';
import { TaskActionGate } from './taskActionGate';
import { TaskStartRecord } from './taskStarts';
import { scaffolderTaskTools } from './taskTools';
import { TemplateRunGate } from '../../governance/templateRunGate';

/** What running templates and acting on their tasks needs besides the scaffolder. */
export interface TemplateRunDependencies {
  assertMayRunTemplate: TemplateRunGate;
  /** Whether a caller may cancel or retry a task: its own, or others' with mcp.task.manage.others. */
  assertMayActOnTask: TaskActionGate;
  /** Who started which task, for service principals (the scaffolder records only users). */
  taskStarts: TaskStartRecord;
  secretRequests: SecretRequestStore;
  /** Who may enter the secrets of a caller's run. */
  secretEntrants: SecretEntrantsOf;
  /** The portal page where people enter the secrets of runs. */
  secretEntryUrl: string;
}

/** The scaffolder toolset, in listing order. */
export function scaffolderTools(deps: {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  config: McpConfig;
  templateRuns: TemplateRunDependencies;
}): McpTool[] {
  return [
    ...scaffolderReadTools(deps),
    createScaffolderRunTemplateTool({ ...deps, ...deps.templateRuns }),
    ...scaffolderTaskTools({ ...deps, ...deps.templateRuns }),
  ];
}
