import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { cursorField, pageSizeField, queryField, responseFormatField } from '../shared/fields';
import { buildEntityFilter, queryEntityPage, stringOrListField } from '../shared/entityQuery';
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
      'Find entities in the Backstage software catalog (components, APIs, systems, domains, resources, groups, users, templates) by free text and filters.',
      'Use it to discover refs; then call catalog_get_entity for one entity with its relations, catalog_get_owner for who owns it, or api_get_spec for an API definition.',
      'Filters combine with AND; a list inside one filter means any of its values. Text matches substrings of names, titles, descriptions, tags and types, case-insensitively, so prefer one distinctive word ("payment") over a sentence.',
      'Example: {"query": "payment", "kind": "Component", "lifecycle": "production"}. Results are concise by default and paginated: pass next_cursor back as cursor for more.',
    ].join('\n'),
    inputSchema: z.strictObject({
      query: queryField('names, titles, descriptions, tags, types and display names', 'checkout'),
      kind: stringOrListField('Entity kind, e.g. "Component", "API", "System", "Group"'),
      type: stringOrListField('spec.type, e.g. "service", "website", "library", "openapi"'),
      owner: stringOrListField(
        'Owner ref or name, e.g. "group:default/payments-team" or "payments-team"',
      ),
      system: stringOrListField('System ref or name, e.g. "payments"'),
      lifecycle: stringOrListField('Lifecycle, e.g. "production", "experimental", "deprecated"'),
      tags: stringOrListField('Tags, e.g. "java"'),
      namespace: stringOrListField('Namespace, e.g. "default"'),
      filter: z
        .record(z.string().max(200), z.union([z.string().max(500), z.array(z.string().max(500)).max(20)]))
        .optional()
        .describe(
          'Advanced: extra catalog field filters, field path to value(s), e.g. {"metadata.annotations.backstage.io/techdocs-ref": "dir:."}',
        ),
      fields: z
        .array(z.string().min(1).max(200))
        .max(30)
        .optional()
        .describe(
          'Project each result to these entity field paths, e.g. ["metadata.name", "spec.owner"], returned under "entity"',
        ),
      limit: pageSizeField(config.results.defaultPageSize, config.results.maxPageSize),
      cursor: cursorField,
      response_format: responseFormatField,
    }),
    outputSchema: pagedOutputSchema(
      entitySummarySchema.extend({
        entity: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('The whole entity (detailed) or its projected fields (fields)'),
      }),
    ),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      let fields: string[] | undefined;
      if (input.fields) fields = [...new Set([...REF_FIELDS, ...input.fields])];
      else if (input.response_format === 'concise') fields = ENTITY_SUMMARY_FIELDS;

      const response = await queryEntityPage(catalog, credentials, {
        cursor: input.cursor,
        limit: input.limit,
        fields,
        filter: buildEntityFilter(input),
        query: input.query,
      });

      const items = response.items.map((entity: Entity) => {
        if (input.fields) {
          return { ref: stringifyEntityRef(entity), kind: entity.kind, name: entity.metadata.name, entity };
        }
        const summary = summarizeEntity(entity);
        return input.response_format === 'detailed' ? { ...summary, entity } : summary;
      });
      return { items, ...catalogPageFields(NAME, response, items.length) };
    },
  });
}
