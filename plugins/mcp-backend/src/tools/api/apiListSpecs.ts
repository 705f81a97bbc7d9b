import { Entity, RELATION_API_PROVIDED_BY } from '@backstage/catalog-model';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import {
  ENTITY_SUMMARY_FIELDS,
  entitySummarySchema,
  summarizeEntity,
} from '../shared/entitySummary';
import { buildEntityFilter, queryEntityPage, stringOrListField } from '../shared/entityQuery';
import { cursorField, pageSizeField, queryField } from '../shared/fields';
import { catalogPageFields, pagedOutputSchema } from '../shared/pagination';
import { relationTargets } from '../shared/relations';
import { defineTool } from '../types';

const NAME = 'api_list_specs';

/** `api_list_specs`: find API entities without loading their definitions. */
export function createApiListSpecsTool(deps: { catalog: CatalogService; config: McpConfig }) {
  const { catalog, config } = deps;
  return defineTool({
    name: NAME,
    title: 'List API definitions',
    toolset: 'api',
    description: [
      'List the APIs of the software catalog (API entities with an OpenAPI, AsyncAPI, GraphQL, gRPC or other definition), filtered by type, owner, system, lifecycle or free text, with the components that provide each one.',
      'It lists APIs; it does not return their definitions. Filters combine with AND; a list inside one filter means any of its values.',
      'Examples: {"type": "openapi", "owner": "payments-team"}, {"type": ["grpc", "graphql"], "system": "checkout"}, {"query": "refund"}.',
      'Next: call api_get_spec with an item\'s ref to read its definition, or catalog_get_entity for the API with its consumers. Results are paginated: pass next_cursor back as cursor for more.',
    ].join('\n'),
    inputSchema: z.strictObject({
      query: queryField('names, titles, descriptions, tags and types', 'payment'),
      type: stringOrListField('Definition type (spec.type), e.g. "openapi", "asyncapi", "graphql", "grpc"'),
      owner: stringOrListField('Owner ref or name, e.g. "group:default/payments-team" or "payments-team"'),
      system: stringOrListField('System ref or name, e.g. "payments"'),
      lifecycle: stringOrListField('Lifecycle, e.g. "production", "experimental", "deprecated"'),
      limit: pageSizeField(config.results.defaultPageSize, config.results.maxPageSize),
      cursor: cursorField,
    }),
    outputSchema: pagedOutputSchema(
      entitySummarySchema.extend({
        provided_by: z
          .array(z.string())
          .describe('Refs of the components that provide this API; empty when none is recorded'),
      }),
    ),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      // Definitions can be megabytes each; a list must never load them, so
      // only the summary fields (relations included) travel.
      const response = await queryEntityPage(catalog, credentials, {
        cursor: input.cursor,
        limit: input.limit,
        fields: ENTITY_SUMMARY_FIELDS,
        filter: buildEntityFilter({ ...input, kind: 'API' }),
        query: input.query,
      });

      const items = response.items.map((entity: Entity) => ({
        ...summarizeEntity(entity),
        provided_by: relationTargets(entity, RELATION_API_PROVIDED_BY),
      }));
      return { items, ...catalogPageFields(NAME, response, items.length) };
    },
  });
}
