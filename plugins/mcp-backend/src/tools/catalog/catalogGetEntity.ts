import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { loadEntity } from '../shared/entityRefs';
import { describeEntityDetails, entityDetailsSchema } from '../shared/entityDetails';
import { entityRefField, responseFormatField } from '../shared/fields';
import { defineTool } from '../types';

/** `catalog_get_entity`: one entity with its relations resolved. */
export function createCatalogGetEntityTool(deps: { catalog: CatalogService }) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_get_entity',
    title: 'Get a catalog entity with its relations',
    toolset: 'catalog',
    description: [
      'Read one entity of the software catalog by ref, with its relations resolved into readable summaries: owner, system, domain, provided and consumed APIs, dependencies, dependents, parts, parent and children, members.',
      'Use it after catalog_search gave you a ref, or directly with a known name. Example: {"ref": "component:default/checkout-service"} or {"ref": "checkout-service"}.',
      "An API's definition is not included (only its size): call api_get_spec for it. For contact details of the owner, call catalog_get_owner; to walk dependencies further, catalog_get_relations.",
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      max_related: z
        .number()
        .int()
        .min(1)
        .max(200)
        .default(25)
        .describe('Most related entities listed per relation type (default 25)'),
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
      });
    },
  });
}
