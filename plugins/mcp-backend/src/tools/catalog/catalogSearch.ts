import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import {
  cursorField,
  pageSizeField,
  responseFormatField,
  truncationHintField,
} from '../shared/fields';
import { normalizeRef } from '../shared/entityRefs';
import {
  ENTITY_SUMMARY_FIELDS,
  entitySummarySchema,
  summarizeEntity,
} from '../shared/entitySummary';
import { catalogPageFields } from '../shared/pagination';
import { defineTool } from '../types';

const NAME = 'catalog_search';

const stringOrList = (description: string) =>
  z
    .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(20)])
    .optional()
    .describe(`${description}. A string or a list of strings (any of them matches)`);

const FULL_TEXT_FIELDS = [
  'metadata.name',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec.type',
  'spec.profile.displayName',
];

/** Only the fields needed for a ref travel when the caller projects. */
const REF_FIELDS = ['kind', 'metadata.name', 'metadata.namespace'];

function asList(value: string | string[] | undefined) {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

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
      query: z
        .string()
        .max(200)
        .optional()
        .describe('Free text, e.g. "checkout"; matched as a substring, case-insensitive'),
      kind: stringOrList('Entity kind, e.g. "Component", "API", "System", "Group"'),
      type: stringOrList('spec.type, e.g. "service", "website", "library", "openapi"'),
      owner: stringOrList(
        'Owner ref or name, e.g. "group:default/payments-team" or "payments-team"',
      ),
      system: stringOrList('System ref or name, e.g. "payments"'),
      lifecycle: stringOrList('Lifecycle, e.g. "production", "experimental", "deprecated"'),
      tags: stringOrList('Tags, e.g. "java"'),
      namespace: stringOrList('Namespace, e.g. "default"'),
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
    outputSchema: z.object({
      items: z.array(
        entitySummarySchema.extend({
          entity: z
            .record(z.string(), z.unknown())
            .optional()
            .describe('The whole entity (detailed) or its projected fields (fields)'),
        }),
      ),
      total_count: z.number().describe('How many entities match, across all pages'),
      next_cursor: z.string().optional().describe('Pass as cursor to get the next page'),
      truncation_hint: truncationHintField,
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const fields = input.fields
        ? [...new Set([...REF_FIELDS, ...input.fields])]
        : input.response_format === 'concise'
          ? ENTITY_SUMMARY_FIELDS
          : undefined;

      const response = input.cursor
        ? await catalog.queryEntities(
            { cursor: input.cursor, limit: input.limit, fields },
            { credentials },
          )
        : await catalog.queryEntities(
            {
              filter: buildFilter(input),
              fullTextFilter: input.query?.trim()
                ? { term: input.query.trim(), fields: FULL_TEXT_FIELDS }
                : undefined,
              orderFields: [{ field: 'metadata.name', order: 'asc' }],
              limit: input.limit,
              fields,
            },
            { credentials },
          );

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

function buildFilter(input: {
  kind?: string | string[];
  type?: string | string[];
  owner?: string | string[];
  system?: string | string[];
  lifecycle?: string | string[];
  tags?: string | string[];
  namespace?: string | string[];
  filter?: Record<string, string | string[]>;
}) {
  const filter: Record<string, string[]> = {};
  const add = (key: string, values: string[] | undefined) => {
    if (values?.length) filter[key] = values;
  };
  add('kind', asList(input.kind));
  add('spec.type', asList(input.type));
  // Owners and systems are matched on relations, which hold full refs, so
  // "payments-team" and "group:default/payments-team" find the same entities.
  add('relations.ownedBy', asList(input.owner)?.map(o => normalizeRef(o, 'group')));
  add('relations.partOf', asList(input.system)?.map(s => normalizeRef(s, 'system')));
  add('spec.lifecycle', asList(input.lifecycle));
  add('metadata.tags', asList(input.tags));
  add('metadata.namespace', asList(input.namespace));
  for (const [key, value] of Object.entries(input.filter ?? {})) {
    add(key, asList(value));
  }
  return Object.keys(filter).length ? filter : undefined;
}
