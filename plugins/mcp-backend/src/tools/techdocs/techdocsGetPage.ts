import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { isError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { entityRefField, truncationHintField } from '../shared/fields';
import { continuationHint, sliceText } from '../shared/textWindow';
import { defineTool } from '../types';
import { DocsSite, DocsSiteDeps, openDocsSite } from './docsSite';
import { createMarkdownConverter } from './markdownConverter';
import { convertPage } from './pageMarkdown';
import { isPageFile, pagePathOfFile, parsePagePath } from './pagePaths';
import { joinSections, outlineOf, OutlineEntry, selectSection } from './pageSections';
import { docsSiteFields, docsSiteValues } from './siteFields';
import { TechDocsClient } from './techdocsClient';

const NAME = 'techdocs_get_page';

/** The most characters one call may return, whatever the agent asks for. */
export const MAX_DOC_CHARS = 200_000;

/** Reads the page's file, trying the files its path may name. */
async function readPageFile(site: DocsSite, path: string) {
  const { candidates, anchor } = parsePagePath(path);
  const files = site.metadata.files;
  const name = site.docsRef ?? site.ref;
  // With the site's file list, unknown pages are refused without a request.
  const tries = files ? candidates.filter(candidate => files.includes(candidate)) : candidates;
  for (const file of tries) {
    try {
      return { file, anchor, html: await site.readFile(file) };
    } catch (error) {
      if (!(isError(error) && error.name === 'NotFoundError')) throw error;
    }
  }
  const known = files?.filter(isPageFile).map(pagePathOfFile).slice(0, 20);
  const listed = known?.length ? `Pages include: ${known.join(', ')}. ` : '';
  throw new NotFoundError(
    `The docs of ${name} have no page "${path}". ${listed}Call techdocs_list_pages {"ref": "${name}"} for every page`,
  );
}

function biggestSections(outline: OutlineEntry[]) {
  return [...outline]
    .filter(entry => entry.level > 1)
    .sort((a, b) => b.chars - a.chars)
    .slice(0, 5)
    .map(entry => `"${entry.title}" (${entry.chars} chars)`)
    .join(', ');
}

/**
 * Reads one page of an entity's docs as the caller and converts it: the
 * site (built first where the portal builds docs), the page file, and its
 * Markdown sections.
 */
export async function readDocsPage(
  deps: DocsSiteDeps & { toMarkdown: ReturnType<typeof createMarkdownConverter> },
  options: { ref: string; path: string; credentials: BackstageCredentials; signal?: AbortSignal },
) {
  const site = await openDocsSite(deps, { input: options.ref, credentials: options.credentials, signal: options.signal });
  const { file, anchor, html } = await readPageFile(site, options.path);
  const page = convertPage(html, { pageFile: file, toMarkdown: deps.toMarkdown });
  return { site, page, anchor, path: pagePathOfFile(file) };
}

/** `techdocs_get_page`: one TechDocs page as Markdown, whole or one section, in budgeted pieces. */
export function createTechdocsGetPageTool(deps: {
  catalog: CatalogService;
  techdocs: TechDocsClient;
  config: McpConfig;
}) {
  const { config } = deps;
  const maxChars = Math.max(MAX_DOC_CHARS, config.results.defaultDocChars);
  const toMarkdown = createMarkdownConverter();
  return defineTool({
    name: NAME,
    title: 'Read a TechDocs page',
    toolset: 'techdocs',
    description: [
      "Read one page of an entity's TechDocs (its documentation site in the portal: overviews, how-tos, runbooks, API guides) as clean Markdown: headings, lists, tables and code blocks kept; navigation, header, footer and scripts left out.",
      'You get the page from offset, at most max_chars characters, and on the first piece an outline of its headings with the size of each section. Pass section (a heading title or anchor from the outline) to read just that section with its subsections.',
      'When truncated is true, call again with offset=next_offset and otherwise the same arguments; the pieces join to the exact text.',
      'Links to other pages of the same docs are page paths you can pass as path.',
      'Examples: {"ref": "payment-service"}, {"ref": "component:default/payment-service", "path": "/runbook/"}, {"ref": "payment-service", "path": "/runbook/", "section": "Rolling back a release"}.',
      'Call techdocs_list_pages first to see which pages exist. Docs that are not built yet are built on first read where the portal builds docs itself (this may take a few seconds).',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      path: z
        .string()
        .max(500)
        .default('/')
        .describe(
          'Page path from techdocs_list_pages, e.g. "/runbook/"; "/" (default) is the home page. "runbook", "runbook.md" and "/runbook/#rolling-back" (the anchor selects that section) work too',
        ),
      section: z
        .string()
        .min(1)
        .max(300)
        .optional()
        .describe(
          'Heading title or anchor of one section, e.g. "Rolling back a release" or "rolling-back-a-release": returns only that section with its subsections',
        ),
      max_chars: z
        .number()
        .int()
        .min(100)
        .max(maxChars)
        .default(config.results.defaultDocChars)
        .describe(
          `Most characters of Markdown to return, 100 to ${maxChars} (default ${config.results.defaultDocChars})`,
        ),
      offset: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe(
          'Character offset into the Markdown of the page (or of the selected section): 0 (default) for the beginning, or the next_offset of the previous result to continue',
        ),
    }),
    outputSchema: z.object({
      ...docsSiteFields,
      path: z.string().describe('The page path, e.g. "/runbook/"'),
      title: z.string().optional().describe("The page's title"),
      section: z
        .object({ title: z.string(), id: z.string() })
        .optional()
        .describe('The section the Markdown was cut down to, when one was selected'),
      markdown: z.string().describe('The Markdown from offset, at most max_chars characters'),
      total_chars: z.number().describe('Length of the Markdown of the whole page (or selected section)'),
      offset: z.number().describe('Where this piece starts in the whole Markdown'),
      next_offset: z.number().optional().describe('Pass as offset to read on; present when truncated'),
      truncated: z.boolean().describe('True when more Markdown follows this piece'),
      outline: z
        .array(
          z.object({
            level: z.number().describe('Heading level, 1 to 6'),
            title: z.string(),
            id: z.string().describe('Anchor, usable as section'),
            chars: z.number().describe('Characters of Markdown in the section, subsections included'),
          }),
        )
        .optional()
        .describe('The headings of the page (or of the selected section) with their sizes, on the first piece (offset 0) only'),
      truncation_hint: truncationHintField,
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    // A first read may wait for the docs build it starts.
    waitsMs: () => deps.config.techdocs.buildWaitMs,
    async handle(input, { credentials, signal }) {
      const { site, page, anchor, path } = await readDocsPage(
        { ...deps, toMarkdown },
        { ref: input.ref, path: input.path, credentials, signal },
      );

      const wanted = input.section ?? anchor;
      const selected = wanted ? selectSection(page.sections, wanted, path) : undefined;
      const shown = selected?.sections ?? page.sections;
      const window = sliceText(joinSections(shown), input.offset, input.max_chars, { noun: 'page', preferLineBreak: true });
      const outline = outlineOf(shown);

      const hints = [
        continuationHint(window, {
          toolName: NAME,
          maxChars: input.max_chars,
          maxAllowed: maxChars,
          selectHint:
            !selected && outline.entries.length > 1
              ? `Or read one section: pass section with a title or id from the outline; the largest are ${biggestSections(outline.entries)}.`
              : undefined,
        }),
        outline.omitted > 0 && input.offset === 0
          ? `The outline leaves out ${outline.omitted} deeper headings of this long page.`
          : undefined,
      ].filter(Boolean);

      return {
        ...docsSiteValues(site),
        path,
        title: page.title,
        section: selected ? { title: selected.heading.title, id: selected.heading.id } : undefined,
        markdown: window.text,
        total_chars: window.total_chars,
        offset: window.offset,
        next_offset: window.next_offset,
        truncated: window.truncated,
        outline: input.offset === 0 ? outline.entries : undefined,
        truncation_hint: hints.length ? hints.join(' ') : undefined,
      };
    },
  });
}
