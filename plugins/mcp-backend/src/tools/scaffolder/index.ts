import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { McpConfig } from '../../config';
import { McpTool } from '../types';
import { scaffolderReadTools } from './readTools';
import { createScaffolderRunTemplateTool } from './scaffolderRunTemplate';
import { SecretEntrantsOf } from './secretEntrants';
import { SecretRequestStore } from './secretRequests';
import { scaffolderTaskTools } from './taskTools';
import { TemplateRunGate } from './templateRunGate';

/** What running templates needs besides the scaffolder. */
export interface TemplateRunDependencies {
  assertMayRunTemplate: TemplateRunGate;
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
    ...scaffolderTaskTools(deps),
  ];
}
