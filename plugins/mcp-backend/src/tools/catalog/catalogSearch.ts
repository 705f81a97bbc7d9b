import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import {
  cursorField,
  pageSizeField,
  queryField,
  responseFormatField,
} from '../shared/fields';
import {
  buildEntityFilter,
  queryEntityPage,
  stringOrListField,
} from '../shared/entityQuery';
import {
  ENTITY_SUMMARY_FIELDS,
  entitySummarySchema,
  summarizeEntity,
} from '../shared/entitySummary';
import { catalogPageFields, pagedOutputSchema } from '../shared/pagination';
import { defineTool } from '../types';

const NAME = 'catalog_search';

/** Only the fields needed for a ref travel when the caller projects. */
const REF_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

/** `catalog_search`: find entities by text and filters, paginated. */
export function createCatalogSearchTool(deps: {
  catalog: CatalogService;
  config: McpConfig;
}) {
  const { catalog, config } = deps;
  return defineTool({
    name: NAME,
    title: 'Search the software catalog',
    toolset: 'catalog',
    description: [
      'Find catalog entities by fields and a word, to get refs. Filters AND; a list matches any value. Next: catalog_get_entity, catalog_get_owner, api_get_spec; questions in words: search.',
      'Example: {"query": "payment", "kind": "API", "lifecycle": "production"}',
    ].join('\n'),
    inputSchema: z.strictObject({
      query: queryField('name, title, description, tags, type', 'checkout'),
      kind: stringOrListField('e.g. "API", "Group"'),
      type: stringOrListField('spec.type, e.g. "service", "openapi"'),
      owner: stringOrListField('Owner ref or name, e.g. "payments-team"'),
      system: stringOrListField('System ref or name'),
      lifecycle: stringOrListField('e.g. "production"'),
      tags: stringOrListField('Tag, e.g. "java"'),
      namespace: stringOrListField('e.g. "default"'),
      filter: z
        .record(
          z.string().max(200),
          z.union([z.string().max(500), z.array(z.string().max(500)).max(20)]),
        )
        .optional()
        .describe(
          'Other field paths to value(s), e.g. {"spec.profile.email": "a@b.c"}',
        ),
      fields: z
        .array(z.string().min(1).max(200))
        .max(30)
        .optional()
        .describe('Return only these fields, e.g. ["spec.owner"]'),
      limit: pageSizeField(
        config.results.defaultPageSize,
        config.results.maxPageSize,
      ),
      cursor: cursorField,
      response_format: responseFormatField,
    }),
    outputSchema: pagedOutputSchema(
      entitySummarySchema.extend({
        entity: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('Whole entity (detailed) or the fields asked for'),
      }),
    ),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      let fields: string[] | undefined;
      if (input.fields) fields = [...new Set([...REF_FIELDS, ...input.fields])];
      else if (input.response_format === 'concise')
        fields = ENTITY_SUMMARY_FIELDS;

      const response = await queryEntityPage(catalog, credentials, {
        cursor: input.cursor,
        limit: input.limit,
        fields,
        filter: buildEntityFilter(input),
        query: input.query,
      });

      const items = response.items.map((entity: Entity) => {
        if (input.fields) {
          return {
            ref: stringifyEntityRef(entity),
            kind: entity.kind,
            name: entity.metadata.name,
            entity,
          };
        }
        const summary = summarizeEntity(entity);
        return input.response_format === 'detailed'
          ? { ...summary, entity }
          : summary;
      });
      return { items, ...catalogPageFields(NAME, response, items.length) };
    },
  });
}
