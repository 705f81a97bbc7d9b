import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { entityRefField, truncationHintField } from '../shared/fields';
import {
  continuationHint,
  maxWindowChars,
  sliceText,
} from '../shared/textWindow';
import { defineTool } from '../types';
import { readDocsPage } from '../../techdocs/docsPage';
import { createMarkdownConverter } from '../../techdocs/markdownConverter';
import {
  joinSections,
  outlineOf,
  OutlineEntry,
  selectSection,
} from '../../techdocs/pageSections';
import { docsSiteFields, docsSiteValues } from './siteFields';
import { TechDocsClient } from '../../techdocs/techdocsClient';

const NAME = 'techdocs_get_page';

function biggestSections(outline: OutlineEntry[]) {
  return [...outline]
    .filter(entry => entry.level > 1)
    .sort((a, b) => b.chars - a.chars)
    .slice(0, 5)
    .map(entry => `"${entry.title}" (${entry.chars} chars)`)
    .join(', ');
}

/** `techdocs_get_page`: one TechDocs page as Markdown, whole or one section, in budgeted pieces. */
export function createTechdocsGetPageTool(deps: {
  catalog: CatalogService;
  techdocs: TechDocsClient;
  config: McpConfig;
}) {
  const { config } = deps;
  const maxChars = maxWindowChars(config.results);
  const toMarkdown = createMarkdownConverter();
  return defineTool({
    name: NAME,
    title: 'Read a TechDocs page',
    toolset: 'techdocs',
    description: [
      'A TechDocs page as Markdown, with an outline of its sections on the first piece. If truncated, call again with offset=next_offset. Links to other pages are paths for path. Find pages: techdocs_list_pages, search.',
      'Example: {"ref": "payment-service", "path": "/runbook/", "section": "Rollback"}',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      path: z
        .string()
        .max(500)
        .default('/')
        .describe('e.g. "/runbook/", "runbook.md", "/runbook/#anchor"'),
      section: z
        .string()
        .min(1)
        .max(300)
        .optional()
        .describe('Heading title or anchor: that section only'),
      max_chars: z
        .number()
        .int()
        .min(100)
        .max(maxChars)
        .default(config.results.defaultDocChars)
        .describe('Most characters per piece'),
      offset: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('next_offset of the last piece'),
    }),
    outputSchema: z.object({
      ...docsSiteFields,
      path: z.string(),
      title: z.string().optional(),
      section: z
        .object({ title: z.string(), id: z.string() })
        .optional()
        .describe('The section selected'),
      markdown: z.string().describe('From offset, at most max_chars'),
      total_chars: z.number().describe('Of the whole page (or section)'),
      offset: z.number(),
      next_offset: z.number().optional().describe('Pass as offset to read on'),
      truncated: z.boolean(),
      outline: z
        .array(
          z.object({
            level: z.number().describe('Heading level, 1 to 6'),
            title: z.string(),
            id: z.string().describe('Anchor, usable as section'),
            chars: z
              .number()
              .describe(
                'Characters of Markdown in the section, subsections included',
              ),
          }),
        )
        .optional()
        .describe('First piece only'),
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
      const selected = wanted
        ? selectSection(page.sections, wanted, path)
        : undefined;
      const shown = selected?.sections ?? page.sections;
      const window = sliceText(
        joinSections(shown),
        input.offset,
        input.max_chars,
        { noun: 'page', preferLineBreak: true },
      );
      const outline = outlineOf(shown);

      const hints = [
        continuationHint(window, {
          toolName: NAME,
          maxChars: input.max_chars,
          maxAllowed: maxChars,
          selectHint:
            !selected && outline.entries.length > 1
              ? `Or read one section: pass section with a title or id from the outline; the largest are ${biggestSections(
                  outline.entries,
                )}.`
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
        section: selected
          ? { title: selected.heading.title, id: selected.heading.id }
          : undefined,
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
