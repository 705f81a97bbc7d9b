import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { McpConfig } from '../config';
import { cutText } from '../mcp/textHygiene';
import { truncate } from '../tools/shared/entityRefs';
import { createMarkdownConverter } from '../techdocs/markdownConverter';
import { joinSections } from '../techdocs/pageSections';
import { createTechDocsClient } from '../techdocs/techdocsClient';
import { readDocsPage } from '../techdocs/docsPage';
import { maxWindowChars } from '../tools/shared/textWindow';
import { McpResourceTemplate } from './types';

const URI_TEMPLATE = 'backstage://docs/{kind}/{namespace}/{name}/{+path}';
const MIME_TYPE = 'text/markdown';

/**
 * `backstage://docs/...`: one TechDocs page as Markdown, read as the caller
 * (the entity must be readable; TechDocs is asked with a token minted on the
 * caller's behalf), the same text techdocs_get_page returns, whole up to
 * the text window a tool call may ask for (see maxWindowChars).
 */
export function createDocsResourceTemplate(deps: {
  catalog: CatalogService;
  discovery: DiscoveryService;
  auth: AuthService;
  config: McpConfig;
  /** Completes kind, namespace and name as the entity resource does. */
  completeEntityVariable: NonNullable<McpResourceTemplate['complete']>;
}): McpResourceTemplate {
  const siteDeps = {
    catalog: deps.catalog,
    config: deps.config,
    techdocs: createTechDocsClient(deps),
    toMarkdown: createMarkdownConverter(),
  };
  return {
    uriTemplate: URI_TEMPLATE,
    name: 'techdocs_page',
    title: 'TechDocs page',
    description: [
      "One page of an entity's TechDocs as Markdown (navigation and scripts left out), the same text as the techdocs_get_page tool.",
      'Example: backstage://docs/component/default/payment-service/runbook/ ; the home page is backstage://docs/component/default/payment-service/index.html.',
      'Pages are not listed in resources/list; find them with techdocs_list_pages or search. Long pages end with a note: read them in pieces with techdocs_get_page.',
    ].join(' '),
    mimeType: MIME_TYPE,
    sharesPermissionOf: 'techdocs_get_page',
    // Docs never built are built on first read, as techdocs_get_page does.
    waitsMs: () => deps.config.techdocs.buildWaitMs,

    async read({ uri, variables }, { credentials }) {
      const { kind, namespace, name } = variables;
      if (!kind || !namespace || !name) {
        throw new InputError(
          `"${truncate(
            uri,
            200,
          )}" does not name a docs page: use ${URI_TEMPLATE}`,
        );
      }
      const ref = stringifyEntityRef({ kind, namespace, name });
      const { page, path } = await readDocsPage(siteDeps, {
        ref,
        path: `/${variables.path ?? ''}`,
        credentials,
      });
      const markdown = joinSections(page.sections);
      const kept = cutText(markdown, maxWindowChars(deps.config.results));
      const text =
        kept.length < markdown.length
          ? `${kept}\n\n[Cut at ${kept.length} of ${markdown.length} characters: read the rest with techdocs_get_page {"ref": "${ref}", "path": "${path}", "offset": ${kept.length}}]`
          : markdown;
      return { uri, mimeType: MIME_TYPE, text };
    },

    async complete(request, context) {
      if (request.variable === 'path') {
        // Page paths come from techdocs_list_pages; not completed here.
        return { values: [], hasMore: false };
      }
      return deps.completeEntityVariable(request, context);
    },
  };
}
