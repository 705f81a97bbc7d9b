import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { McpConfig } from '../../config';
import { McpTool } from '../types';
import { scaffolderReadTools } from './readTools';
import { scaffolderTaskTools } from './taskTools';

/** The scaffolder toolset, in listing order. */
export function scaffolderTools(deps: {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  config: McpConfig;
}): McpTool[] {
  return [...scaffolderReadTools(deps), ...scaffolderTaskTools(deps)];
}
