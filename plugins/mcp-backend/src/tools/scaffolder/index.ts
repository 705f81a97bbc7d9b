import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { McpConfig } from '../../config';
import { McpTool } from '../types';

/** The scaffolder toolset, in listing order. */
export function scaffolderTools(_deps: {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  config: McpConfig;
}): McpTool[] {
  return [];
}
