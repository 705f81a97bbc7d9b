import { CatalogService } from '@backstage/plugin-catalog-node';
import { createEntityResourceTemplate } from './entityResource';
import { McpResourceTemplate } from './types';

/** The services resource templates are built with. */
export interface ResourceDependencies {
  catalog: CatalogService;
}

/** Every resource template this server serves, in listing order. */
export function createResourceTemplates(deps: ResourceDependencies): McpResourceTemplate[] {
  return [createEntityResourceTemplate(deps)];
}
