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
import {
  buildEntityFilter,
  queryEntityPage,
  stringOrListField,
} from '../shared/entityQuery';
import { cursorField, pageSizeField, queryField } from '../shared/fields';
import { catalogPageFields, pagedOutputSchema } from '../shared/pagination';
import { relationTargets } from '../shared/relations';
import { defineTool } from '../types';

const NAME = 'api_list_specs';

/** `api_list_specs`: find API entities without loading their definitions. */
export function createApiListSpecsTool(deps: {
  catalog: CatalogService;
  config: McpConfig;
}) {
  const { catalog, config } = deps;
  return defineTool({
    name: NAME,
    title: 'List API definitions',
    toolset: 'api',
    description: [
      'APIs (OpenAPI, AsyncAPI, GraphQL, gRPC…) with the components providing each; api_get_spec reads one. Filters AND; a list matches any value.',
      'Example: {"type": ["grpc", "graphql"], "owner": "payments-team"}',
    ].join('\n'),
    inputSchema: z.strictObject({
      query: queryField('name, title, description, tags, type', 'refund'),
      type: stringOrListField('Definition type, e.g. "openapi"'),
      owner: stringOrListField('Owner ref or name'),
      system: stringOrListField('System ref or name'),
      lifecycle: stringOrListField('e.g. "production"'),
      limit: pageSizeField(
        config.results.defaultPageSize,
        config.results.maxPageSize,
      ),
      cursor: cursorField,
    }),
    outputSchema: pagedOutputSchema(
      entitySummarySchema.extend({
        provided_by: z
          .array(z.string())
          .describe('Refs of the components that provide it'),
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
