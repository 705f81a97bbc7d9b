import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { buildEntityFilter, stringOrListField } from '../shared/entityQuery';
import { truncationHintField } from '../shared/fields';
import { defineTool } from '../types';

/** `catalog_list_values`: the distinct values of a field, with counts. */
export function createCatalogListValuesTool(deps: { catalog: CatalogService }) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_list_values',
    title: 'List the values of a catalog field',
    toolset: 'catalog',
    description: [
      "A catalog field's values with counts, most common first: valid filters for catalog_search.",
    ].join('\n'),
    inputSchema: z.strictObject({
      field: z
        .string()
        .min(1)
        .max(200)
        .describe(
          'e.g. kind, spec.type, spec.lifecycle, metadata.tags, relations.ownedBy',
        ),
      kind: stringOrListField('Count only these kinds (one or a list)'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(500)
        .default(50)
        .describe('Most values returned'),
    }),
    outputSchema: z.object({
      field: z.string(),
      values: z.array(z.object({ value: z.string(), count: z.number() })),
      total_values: z.number(),
      truncation_hint: truncationHintField,
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    // The values of a restricted field (emails, say) are masked here too.
    redactionAliases: {
      valuesOfField: { field: 'field', values: 'values.value' },
    },
    async handle(input, { credentials }) {
      const { facets } = await catalog.getEntityFacets(
        {
          facets: [input.field],
          filter: buildEntityFilter({ kind: input.kind }),
        },
        { credentials },
      );
      const all = [...(facets[input.field] ?? [])].sort(
        (a, b) => b.count - a.count || a.value.localeCompare(b.value),
      );
      return {
        field: input.field,
        values: all.slice(0, input.limit),
        total_values: all.length,
        truncation_hint:
          all.length > input.limit
            ? `${
                all.length - input.limit
              } less common values were left out; raise limit (up to 500) to see them`
            : undefined,
      };
    },
  });
}
