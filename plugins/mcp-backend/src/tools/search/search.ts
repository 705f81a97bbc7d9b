import { InputError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { parseRefInput } from '../shared/entityRefs';
import {
  cursorField,
  pageSizeField,
  responseFormatField,
} from '../shared/fields';
import { nextPageHint, pagedOutputSchema } from '../shared/pagination';
import { defineTool } from '../types';
import { SearchClient, SearchRequest } from './searchClient';
import { decodeSearchCursor, encodeSearchCursor } from './searchCursor';
import {
  CATALOG_TYPE,
  createHitSummarizer,
  searchHitSchema,
  TECHDOCS_TYPE,
} from './searchHit';

const NAME = 'search';

interface RequestInput {
  query: string;
  types?: string | string[];
  kind?: string;
  owner?: string;
  entity?: string;
  limit: number;
}

/**
 * The first-page request for the tool's input. Filters go to the search
 * backend as single values: the default engine (Lunr) treats a list as
 * optional terms, which would not filter at all.
 */
function buildRequest(input: RequestInput): SearchRequest {
  const term = input.query.trim();
  if (!term)
    throw new InputError(
      'query is empty: give one or more words to search for',
    );
  const filters: Record<string, string> = {};
  let types = typeof input.types === 'string' ? [input.types] : input.types;
  if (input.kind) filters.kind = input.kind;
  // Collators index the owner's name (TechDocs) or spec.owner as written,
  // which is nearly always the bare name.
  if (input.owner) filters.owner = parseRefInput(input.owner, 'group').ref.name;
  if (input.entity) {
    if (input.kind) {
      throw new InputError(
        'Pass kind or entity, not both: entity already names the kind',
      );
    }
    if (types?.includes(CATALOG_TYPE)) {
      throw new InputError(
        `entity selects documentation pages ("${TECHDOCS_TYPE}"); catalog entries have no such filter. ` +
          'Drop "software-catalog" from types, or call catalog_get_entity for the entity itself',
      );
    }
    // TechDocs indexes the entity triplet in lower case.
    const { ref } = parseRefInput(input.entity, 'component');
    filters.namespace = ref.namespace;
    filters.kind = ref.kind;
    filters.name = ref.name.toLocaleLowerCase('en-US');
    types = types ?? [TECHDOCS_TYPE];
  }
  return {
    term,
    types,
    filters: Object.keys(filters).length > 0 ? filters : undefined,
    pageLimit: input.limit,
  };
}

/** `search`: the portal's search engine across the catalog and TechDocs. */
export function createSearchTool(deps: {
  search: SearchClient;
  config: McpConfig;
}) {
  const { search, config } = deps;
  const summarize = createHitSummarizer({
    appBaseUrl: config.portal.appBaseUrl,
    catalogLocationTemplate: config.portal.catalogSearchLocationTemplate,
  });
  return defineTool({
    name: NAME,
    title: 'Search the portal',
    toolset: 'search',
    description: [
      'Full-text search of catalog entities and TechDocs pages, for questions in words; catalog_search filters entities by fields. Next: catalog_get_entity {"ref": "<ref>"}, or for docs techdocs_get_page {"ref": "<ref>", "path": "<path>"}.',
      'Example: {"query": "refund retries", "types": "techdocs"}',
    ].join('\n'),
    inputSchema: z.strictObject({
      query: z
        .string()
        .min(1)
        .max(config.portal.searchMaxTermLength)
        .describe('Words; also matched by stem, prefix, close spelling'),
      types: z
        .union([
          z.string().min(1).max(50),
          z.array(z.string().min(1).max(50)).min(1).max(5),
        ])
        .optional()
        .describe('software-catalog, techdocs or another index'),
      kind: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .describe('Entity kind, e.g. "API"'),
      owner: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe('Owner name, e.g. "payments-team"'),
      entity: z
        .string()
        .min(1)
        .max(300)
        .optional()
        .describe('Only docs of this entity ref; not with kind'),
      limit: pageSizeField(
        config.results.defaultPageSize,
        config.results.maxPageSize,
      ),
      // The cursor carries the whole request, so it may outgrow the shared
      // cursor field's bound when search.maxTermLength is raised.
      cursor: z
        .string()
        .max(8000)
        .optional()
        .describe(cursorField.description!),
      response_format: responseFormatField,
    }),
    outputSchema: pagedOutputSchema(searchHitSchema).extend({
      total_count: z
        .number()
        .optional()
        .describe('Absent when hits are filtered by permission'),
    }),
    // Both collators Backstage ships guard their documents with this
    // permission; the search backend checks it per hit for the caller.
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    // Collators index entity fields as free text (a user's e-mail, say):
    // field restrictions mask those values in the hits.
    redactionAliases: {
      entityText: {
        items: 'items',
        ref: 'ref',
        text: ['title', 'excerpt', 'document'],
      },
    },
    async handle(input, { credentials, signal }) {
      // A cursor stands for the whole request: the page numbers of the
      // search backend only hold for the same query, filters and page size.
      const request = input.cursor
        ? decodeSearchCursor(input.cursor)
        : buildRequest(input);
      const page = await search.query(request, { credentials, signal });
      const detailed = input.response_format === 'detailed';
      const items = page.results.map(result => summarize(result, detailed));
      const next = page.nextPageCursor;
      return {
        items,
        total_count: page.numberOfResults,
        next_cursor: next ? encodeSearchCursor(request, next) : undefined,
        truncation_hint: next
          ? nextPageHint(NAME, items.length, page.numberOfResults)
          : undefined,
      };
    },
  });
}
