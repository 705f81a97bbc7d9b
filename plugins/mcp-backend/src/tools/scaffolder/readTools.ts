import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { McpConfig } from '../../config';
import { McpTool } from '../types';
import { createScaffolderGetTemplateTool } from './scaffolderGetTemplate';
import { createScaffolderListActionsTool } from './scaffolderListActions';
import { createScaffolderListTemplatesTool } from './scaffolderListTemplates';
import { createScaffolderValidateValuesTool } from './scaffolderValidateValues';

/** The read-only scaffolder tools, in listing order. */
export function scaffolderReadTools(deps: {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  config: McpConfig;
}): McpTool[] {
  return [
    createScaffolderListTemplatesTool(deps),
    createScaffolderGetTemplateTool(deps),
    createScaffolderValidateValuesTool(deps),
    createScaffolderListActionsTool(deps),
  ];
}
