import { CatalogService } from '@backstage/plugin-catalog-node';
import { completeEntities, completeFacet } from '../resources/entityCompletion';
import { McpPromptArgument } from './types';

/** A required argument holding an entity ref of one kind, completed from the catalog. */
export function entityRefArgument(options: {
  catalog: CatalogService;
  name: string;
  kind: string;
  description: string;
  required?: boolean;
}): McpPromptArgument {
  const { catalog, kind } = options;
  return {
    name: options.name,
    description: options.description,
    required: options.required ?? true,
    complete: ({ value }, { credentials }) =>
      completeEntities({ catalog, credentials, typed: value, kind, as: 'ref' }),
  };
}

/** An argument holding an entity kind, completed from the catalog's kinds. */
export function entityKindArgument(options: {
  catalog: CatalogService;
  name: string;
  description: string;
}): McpPromptArgument {
  const { catalog } = options;
  return {
    name: options.name,
    description: options.description,
    required: false,
    complete: ({ value }, { credentials }) =>
      completeFacet({ catalog, credentials, facet: 'kind', typed: value }),
  };
}
