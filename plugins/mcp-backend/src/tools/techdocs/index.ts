import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { McpConfig } from '../../config';
import { createTechDocsClient } from '../../techdocs/techdocsClient';
import { createTechdocsGetPageTool } from './techdocsGetPage';
import { createTechdocsListPagesTool } from './techdocsListPages';

/** The techdocs toolset, in listing order. */
export function techdocsTools(deps: {
  catalog: CatalogService;
  config: McpConfig;
  discovery: DiscoveryService;
  auth: AuthService;
}) {
  const techdocs = createTechDocsClient(deps);
  return [
    createTechdocsListPagesTool({ ...deps, techdocs }),
    createTechdocsGetPageTool({ ...deps, techdocs }),
  ];
}
