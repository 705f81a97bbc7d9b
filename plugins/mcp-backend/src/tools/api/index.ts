import { CatalogService } from '@backstage/plugin-catalog-node';
import { McpConfig } from '../../config';
import { createApiGetSpecTool } from './apiGetSpec';

/** The api toolset. */
export function apiTools(deps: { catalog: CatalogService; config: McpConfig }) {
  return [createApiGetSpecTool(deps)];
}
