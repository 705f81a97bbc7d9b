import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import {
  buildEntityFilter,
  queryEntityPage,
  stringOrListField,
} from '../shared/entityQuery';
import {
  compact,
  ENTITY_SUMMARY_FIELDS,
  summarizeEntity,
} from '../shared/entitySummary';
import { cursorField, pageSizeField, queryField } from '../shared/fields';
import { catalogPageFields, pagedOutputSchema } from '../shared/pagination';
import { defineTool } from '../types';

const NAME = 'scaffolder_list_templates';

/**
 * The summary fields only: template specs carry steps and parameter schemas
 * that can be large, and a list never shows them.
 */
export const TEMPLATE_LIST_FIELDS = ENTITY_SUMMARY_FIELDS;

/** `scaffolder_list_templates`: find software templates, paginated. */
export function createScaffolderListTemplatesTool(deps: {
  catalog: CatalogService;
  scaffolder?: ScaffolderService;
  config: McpConfig;
}) {
  const { catalog, config } = deps;
  return defineTool({
    name: NAME,
    title: 'List software templates',
    toolset: 'scaffolder',
    description: [
      'Software templates (they create components, sites, docs…); a list matches any value. scaffolder_get_template shows what one asks for.',
    ].join('\n'),
    inputSchema: z.strictObject({
      query: queryField('name, title, description, tags, type', 'node'),
      tags: stringOrListField('Tag, e.g. "recommended"'),
      owner: stringOrListField('Owner ref or name'),
      type: stringOrListField('e.g. "service", "website"'),
      limit: pageSizeField(
        config.results.defaultPageSize,
        config.results.maxPageSize,
      ),
      cursor: cursorField,
    }),
    outputSchema: pagedOutputSchema(
      z.object({
        ref: z.string(),
        name: z.string(),
        title: z.string().optional(),
        description: z.string().optional(),
        type: z.string().optional(),
        owner: z.string().optional(),
        tags: z.array(z.string()).optional(),
      }),
    ),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const response = await queryEntityPage(catalog, credentials, {
        cursor: input.cursor,
        limit: input.limit,
        fields: TEMPLATE_LIST_FIELDS,
        filter: buildEntityFilter({
          kind: 'Template',
          tags: input.tags,
          owner: input.owner,
          type: input.type,
        }),
        query: input.query,
      });
      const items = response.items.map(entity => {
        const { ref, name, title, description, type, owner, tags } =
          summarizeEntity(entity);
        return compact({ ref, name, title, description, type, owner, tags });
      });
      return { items, ...catalogPageFields(NAME, response, items.length) };
    },
  });
}
