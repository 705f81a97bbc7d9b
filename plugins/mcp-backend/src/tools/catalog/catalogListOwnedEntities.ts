import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { buildEntityFilter, queryEntityPage, stringOrListField } from '../shared/entityQuery';
import { loadEntity } from '../shared/entityRefs';
import {
  ENTITY_SUMMARY_FIELDS,
  entitySummarySchema,
  summarizeEntity,
} from '../shared/entitySummary';
import { cursorField, entityRefField, pageSizeField } from '../shared/fields';
import { relationTargets } from '../shared/relations';
import { catalogPageFields, pagedOutputSchema } from '../shared/pagination';
import { defineTool } from '../types';

const NAME = 'catalog_list_owned_entities';

/** `catalog_list_owned_entities`: what a team or person owns, by kind. */
export function createCatalogListOwnedEntitiesTool(deps: {
  catalog: CatalogService;
  config: McpConfig;
}) {
  const { catalog, config } = deps;
  return defineTool({
    name: NAME,
    title: 'List what a team or person owns',
    toolset: 'catalog',
    description: [
      'Answer "what does team or person Y own": the entities owned by a group or user, with counts per kind (components, APIs, systems, resources…), ordered by kind.',
      "For a user, what the user's groups own is included by default (include_groups), since ownership usually sits with teams.",
      'Example: {"owner": "payments-team"} or {"owner": "user:default/jane.doe", "kind": "API"}. For who owns a given entity, call catalog_get_owner instead.',
    ].join('\n'),
    inputSchema: z.strictObject({
      owner: entityRefField,
      include_groups: z
        .boolean()
        .default(true)
        .describe("For a user owner, also list what the user's groups own (default true)"),
      kind: stringOrListField('Only these kinds, e.g. "API" or ["Component", "API"]'),
      limit: pageSizeField(config.results.defaultPageSize, config.results.maxPageSize),
      cursor: cursorField,
    }),
    outputSchema: pagedOutputSchema(entitySummarySchema).extend({
      owners: z
        .array(z.string())
        .optional()
        .describe('The owner refs that were matched (the user and their groups); first page only'),
      counts_by_kind: z
        .record(z.string(), z.number())
        .optional()
        .describe('How many owned entities there are of each kind; first page only'),
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      if (input.cursor) {
        const page = await queryEntityPage(catalog, credentials, {
          cursor: input.cursor,
          limit: input.limit,
          fields: ENTITY_SUMMARY_FIELDS,
        });
        return {
          items: page.items.map(summarizeEntity),
          ...catalogPageFields(NAME, page, page.items.length),
        };
      }

      const owner = await loadEntity({ catalog, credentials, input: input.owner, defaultKind: 'group' });
      const ownerRef = stringifyEntityRef(owner);
      const owners =
        owner.kind.toLocaleLowerCase('en-US') === 'user' && input.include_groups
          ? [ownerRef, ...relationTargets(owner, 'memberOf')]
          : [ownerRef];
      const filter = buildEntityFilter({ owner: owners, kind: input.kind })!;

      const [page, facets] = await Promise.all([
        queryEntityPage(catalog, credentials, {
          filter,
          orderBy: 'kind',
          limit: input.limit,
          fields: ENTITY_SUMMARY_FIELDS,
        }),
        catalog.getEntityFacets({ facets: ['kind'], filter }, { credentials }),
      ]);
      return {
        owners,
        counts_by_kind: Object.fromEntries(
          (facets.facets.kind ?? []).map(({ value, count }) => [value, count]),
        ),
        items: page.items.map(summarizeEntity),
        ...catalogPageFields(NAME, page, page.items.length),
      };
    },
  });
}
