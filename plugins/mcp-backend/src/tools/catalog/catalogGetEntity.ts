import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { loadEntity } from '../shared/entityRefs';
import {
  describeEntityDetails,
  entityDetailsSchema,
} from '../shared/entityDetails';
import { entityRefField, responseFormatField } from '../shared/fields';
import { defineTool } from '../types';

/** `catalog_get_entity`: one entity with its relations. */
export function createCatalogGetEntityTool(deps: { catalog: CatalogService }) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_get_entity',
    title: 'Get a catalog entity and its relations',
    toolset: 'catalog',
    description: [
      'An entity with its relations by type (owner, system, APIs, dependencies, dependents, parts, members) as refs; "detailed" adds their titles and descriptions. API definition: api_get_spec; owner contacts: catalog_get_owner; more hops: catalog_get_relations.',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      max_related: z
        .number()
        .int()
        .min(1)
        .max(200)
        .default(25)
        .describe('Most entities listed per relation type'),
      response_format: responseFormatField,
    }),
    outputSchema: entityDetailsSchema,
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const entity = await loadEntity({
        catalog,
        credentials,
        input: input.ref,
        defaultKind: 'component',
      });

      return describeEntityDetails({
        catalog,
        credentials,
        entity,
        maxRelated: input.max_related,
        detailed: input.response_format === 'detailed',
        resolveRelated: input.response_format === 'detailed',
      });
    },
  });
}
