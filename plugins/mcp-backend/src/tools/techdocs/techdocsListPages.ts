import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import {
  entityRefField,
  cursorField,
  pageSizeField,
  queryField,
  responseFormatField,
} from '../shared/fields';
import {
  decodeOffsetCursor,
  offsetPageFields,
  pagedOutputSchema,
} from '../shared/pagination';
import { defineTool } from '../types';
import { openDocsSite } from '../../techdocs/docsSite';
import { listSitePages } from '../../techdocs/pageTree';
import { docsSiteFields, docsSiteValues } from './siteFields';
import { TechDocsClient } from '../../techdocs/techdocsClient';

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
    title: 'List TechDocs pages',
    toolset: 'techdocs',
    description: [
      "An entity's TechDocs pages in navigation order (detailed adds headings), to find the one for techdocs_get_page. Unbuilt docs are built first (seconds).",
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      query: queryField('title, path', 'runbook'),
      limit: pageSizeField(
        config.results.defaultPageSize,
        config.results.maxPageSize,
      ),
      cursor: cursorField,
      response_format: responseFormatField,
    }),
    outputSchema: pagedOutputSchema(
      z.object({
        path: z
          .string()
          .describe('Page path to pass to techdocs_get_page, e.g. "/runbook/"'),
        title: z.string(),
        sections: z
          .array(
            z.object({
              title: z.string(),
              id: z.string().describe('Anchor, usable as section'),
            }),
          )
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
      const site = await openDocsSite(deps, {
        input: input.ref,
        credentials,
        signal,
      });
      const pages = await listSitePages(site);
      const term = input.query?.trim().toLocaleLowerCase('en-US');
      const matching = term
        ? pages.filter(page =>
            `${page.title}\n${page.path}`
              .toLocaleLowerCase('en-US')
              .includes(term),
          )
        : pages;
      const detailed = input.response_format === 'detailed';
      const items = matching
        .slice(offset, offset + input.limit)
        .map(({ path, title, sections }) =>
          detailed && sections ? { path, title, sections } : { path, title },
        );
      return {
        ...docsSiteValues(site),
        items,
        ...offsetPageFields(NAME, offset, items.length, matching.length),
      };
    },
  });
}
