import { CatalogService } from '@backstage/plugin-catalog-node';
import { McpConfig } from '../../config';
import { createCatalogGetEntityTool } from './catalogGetEntity';
import { createCatalogSearchTool } from './catalogSearch';

/** The catalog toolset. */
export function catalogTools(deps: { catalog: CatalogService; config: McpConfig }) {
  return [createCatalogSearchTool(deps), createCatalogGetEntityTool(deps)];
}
