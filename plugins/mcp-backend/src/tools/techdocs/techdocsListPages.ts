import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { entityRefField, cursorField, pageSizeField, queryField, responseFormatField } from '../shared/fields';
import { decodeOffsetCursor, offsetPageFields, pagedOutputSchema } from '../shared/pagination';
import { defineTool } from '../types';
import { openDocsSite } from './docsSite';
import { listSitePages } from './pageTree';
import { docsSiteFields, docsSiteValues } from './siteFields';
import { TechDocsClient } from './techdocsClient';

const NAME = 'techdocs_list_pages';

/** `techdocs_list_pages`: the pages of an entity's TechDocs site, in site order. */
export function createTechdocsListPagesTool(deps: {
  catalog: CatalogService;
  techdocs: TechDocsClient;
  config: McpConfig;
}) {
  const { config } = deps;
  return defineTool({
    name: NAME,
    title: "List the pages of an entity's TechDocs",
    toolset: 'techdocs',
    description: [
      "List the pages of an entity's TechDocs (its documentation site in the portal), in the order of the site's navigation, each with its path and title.",
      'Use it to find the page that answers a question (overview, authentication, runbook, API usage, ...), then read it with techdocs_get_page {"ref": ..., "path": ...}.',
      'Example: {"ref": "payment-service"} or {"ref": "component:default/payment-service", "query": "runbook"}. response_format "detailed" adds the headings of each page. Paginated: pass next_cursor back as cursor.',
      'Entities without docs answer not found with the reason; docs that are not built yet are built first where the portal builds docs itself.',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      query: queryField('page titles and paths', 'runbook'),
      limit: pageSizeField(config.results.defaultPageSize, config.results.maxPageSize),
      cursor: cursorField,
      response_format: responseFormatField,
    }),
    outputSchema: pagedOutputSchema(
      z.object({
        path: z.string().describe('Page path to pass to techdocs_get_page, e.g. "/runbook/"'),
        title: z.string(),
        sections: z
          .array(z.object({ title: z.string(), id: z.string().describe('Anchor, usable as section') }))
          .optional()
          .describe("The page's headings (detailed)"),
      }),
    ).extend(docsSiteFields),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    // A first read may wait for the docs build it starts.
    waitsMs: () => deps.config.techdocs.buildWaitMs,
    async handle(input, { credentials, signal }) {
      const offset = decodeOffsetCursor(input.cursor);
      const site = await openDocsSite(deps, { input: input.ref, credentials, signal });
      const pages = await listSitePages(site);
      const term = input.query?.trim().toLocaleLowerCase('en-US');
      const matching = term
        ? pages.filter(page => `${page.title}\n${page.path}`.toLocaleLowerCase('en-US').includes(term))
        : pages;
      const detailed = input.response_format === 'detailed';
      const items = matching
        .slice(offset, offset + input.limit)
        .map(({ path, title, sections }) => (detailed && sections ? { path, title, sections } : { path, title }));
      return {
        ...docsSiteValues(site),
        items,
        ...offsetPageFields(NAME, offset, items.length, matching.length),
      };
    },
  });
}
