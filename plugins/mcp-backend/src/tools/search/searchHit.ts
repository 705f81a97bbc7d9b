import { stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { cutText } from '../../mcp/textHygiene';
import { makeExcerpt, toPlainText } from './excerpt';
import { createLocationParser, toPortalUrl } from './locations';
import { SearchResultItem } from './searchClient';

/** The document type of the catalog collator Backstage ships. */
export const CATALOG_TYPE = 'software-catalog';
/** The document type of the TechDocs collator Backstage ships. */
export const TECHDOCS_TYPE = 'techdocs';

/** Indexed text can be a whole documentation page: detailed results cut it. */
const DETAILED_TEXT_CHARS = 2000;

/** One search hit as agents see it. */
export const searchHitSchema = z.object({
  type: z
    .string()
    .describe(
      'Document type: "software-catalog" (a catalog entity) or "techdocs" (a documentation page)',
    ),
  title: z.string(),
  ref: z
    .string()
    .optional()
    .describe(
      'The entity the hit is (software-catalog) or documents (techdocs), e.g. "component:default/payment-service"',
    ),
  path: z
    .string()
    .optional()
    .describe(
      'techdocs hits: the page within the entity\'s docs, e.g. "architecture/" ("" is the start page)',
    ),
  anchor: z
    .string()
    .optional()
    .describe('techdocs hits: the section within the page'),
  location: z.string().describe('Link to the hit in the portal'),
  excerpt: z
    .string()
    .optional()
    .describe(
      'Plain text around the first match, at most about 300 characters',
    ),
  rank: z
    .number()
    .optional()
    .describe('Position in the ranking, 1 is the best match'),
  document: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'detailed only: every field the search backend indexed (text cut to 2000 characters)',
    ),
});

/** One search hit as agents see it. */
export type SearchHit = z.infer<typeof searchHitSchema>;

/** How hits are built: the portal settings the collators used. */
export interface HitOptions {
  appBaseUrl?: string;
  catalogLocationTemplate: string;
}

const asString = (value: unknown) =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

function refOf(parts: Record<string, unknown> | undefined): string | undefined {
  const kind = asString(parts?.kind);
  const namespace = asString(parts?.namespace) ?? 'default';
  const name = asString(parts?.name);
  return kind && name
    ? stringifyEntityRef({ kind, namespace, name })
    : undefined;
}

/**
 * Turns search results into hits. Catalog documents index the entity's kind
 * and namespace but not its name, which only their location holds; TechDocs
 * documents index namespace, kind and name, and the page path.
 */
export function createHitSummarizer(options: HitOptions) {
  const parseCatalogLocation = createLocationParser(
    options.catalogLocationTemplate,
  );

  return (result: SearchResultItem, detailed: boolean): SearchHit => {
    const { document, highlight } = result;
    const location = document.location ?? '';
    const hit: SearchHit = {
      type: result.type,
      title: toPlainText(document.title ?? '') || location,
      location: toPortalUrl(location, options.appBaseUrl),
    };

    if (result.type === CATALOG_TYPE) {
      const fromLocation = parseCatalogLocation(location);
      hit.ref = refOf(
        fromLocation && {
          kind: document.kind,
          namespace: document.namespace,
          ...fromLocation,
        },
      );
    } else {
      hit.ref = refOf(document);
    }
    if (result.type === TECHDOCS_TYPE && typeof document.path === 'string') {
      const [path, anchor] = document.path.split('#', 2);
      hit.path = path;
      if (anchor) hit.anchor = anchor;
    }

    const highlighted = highlight?.fields.text;
    const text = highlighted ?? document.text;
    if (text) {
      const excerpt = makeExcerpt(text, highlighted ? highlight : {});
      if (excerpt) hit.excerpt = excerpt;
    }
    if (result.rank !== undefined) hit.rank = result.rank;

    if (detailed) {
      const cut = (document.text ?? '').length > DETAILED_TEXT_CHARS;
      hit.document = cut
        ? {
            ...document,
            text: `${cutText(document.text!, DETAILED_TEXT_CHARS)}…`,
          }
        : { ...document };
    }
    return hit;
  };
}
