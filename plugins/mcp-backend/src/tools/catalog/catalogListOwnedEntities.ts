import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import {
  buildEntityFilter,
  queryEntityPage,
  stringOrListField,
} from '../shared/entityQuery';
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
      'What a team or person owns, by kind, with counts per kind. Who owns an entity: catalog_get_owner.',
      'Example: {"owner": "user:default/jane.doe", "kind": ["API", "Component"]}',
    ].join('\n'),
    inputSchema: z.strictObject({
      owner: entityRefField,
      include_groups: z
        .boolean()
        .default(true)
        .describe("For a user, include what the user's groups own"),
      kind: stringOrListField('Only these kinds'),
      limit: pageSizeField(
        config.results.defaultPageSize,
        config.results.maxPageSize,
      ),
      cursor: cursorField,
    }),
    outputSchema: pagedOutputSchema(entitySummarySchema).extend({
      owners: z
        .array(z.string())
        .optional()
        .describe('The user and their groups; first page only'),
      counts_by_kind: z
        .record(z.string(), z.number())
        .optional()
        .describe('First page only'),
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

      const owner = await loadEntity({
        catalog,
        credentials,
        input: input.owner,
        defaultKind: 'group',
      });
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
