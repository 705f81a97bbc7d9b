import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { McpConfig } from '../config';
import { createDocsResourceTemplate } from './docsResource';
import { createEntityResourceTemplate } from './entityResource';
import { McpResourceTemplate } from './types';

/** The services resource templates are built with. */
export interface ResourceDependencies {
  catalog: CatalogService;
  discovery: DiscoveryService;
  auth: AuthService;
  config: McpConfig;
}

/**
 * Every resource template the configuration enables, in listing order: the
 * docs pages only with the techdocs toolset.
 */
export function createResourceTemplates(
  deps: ResourceDependencies,
): McpResourceTemplate[] {
  const entity = createEntityResourceTemplate(deps);
  if (!deps.config.toolsets.has('techdocs')) return [entity];
  return [
    entity,
    createDocsResourceTemplate({
      ...deps,
      completeEntityVariable: entity.complete!,
    }),
  ];
}
