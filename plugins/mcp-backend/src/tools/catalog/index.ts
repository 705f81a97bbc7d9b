import { CatalogService } from '@backstage/plugin-catalog-node';
import { McpConfig } from '../../config';
import { createCatalogGetEntityTool } from './catalogGetEntity';
import { createCatalogGetOwnerTool } from './catalogGetOwner';
import { createCatalogGetRelationsTool } from './catalogGetRelations';
import { createCatalogListOwnedEntitiesTool } from './catalogListOwnedEntities';
import { createCatalogListValuesTool } from './catalogListValues';
import { createCatalogRefreshEntityTool } from './catalogRefreshEntity';
import { createCatalogRegisterLocationTool } from './catalogRegisterLocation';
import { createCatalogSearchTool } from './catalogSearch';
import { createCatalogValidateEntityTool } from './catalogValidateEntity';

/** The catalog toolset, in listing order. */
export function catalogTools(deps: {
  catalog: CatalogService;
  config: McpConfig;
}) {
  return [
    createCatalogSearchTool(deps),
    createCatalogGetEntityTool(deps),
    createCatalogGetRelationsTool(deps),
    createCatalogGetOwnerTool(deps),
    createCatalogListOwnedEntitiesTool(deps),
    createCatalogListValuesTool(deps),
    createCatalogRefreshEntityTool(deps),
    createCatalogValidateEntityTool(deps),
    createCatalogRegisterLocationTool(deps),
  ];
}
