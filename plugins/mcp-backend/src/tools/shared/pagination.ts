import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { truncationHintField } from './fields';

/**
 * Cursors for lists that this plugin pages itself (rather than the catalog):
 * an opaque, versioned offset so that agents treat it as a token.
 */
export function encodeOffsetCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ v: 1, offset }), 'utf8').toString(
    'base64url',
  );
}

export function decodeOffsetCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  try {
    const parsed = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    );
    if (
      parsed?.v === 1 &&
      Number.isInteger(parsed.offset) &&
      parsed.offset >= 0
    ) {
      return parsed.offset;
    }
  } catch {
    // fall through to the error below
  }
  throw new InputError(
    'The cursor is not valid. Pass the next_cursor of the previous page unchanged, or omit it to start over',
  );
}

/** The hint that tells an agent how to get the next page. */
export function nextPageHint(
  toolName: string,
  shown: number,
  total: number | undefined,
): string {
  const of = total === undefined ? '' : ` of ${total}`;
  return `Showing ${shown}${of} results. Call ${toolName} again with the same arguments and cursor=next_cursor for more, or narrow the filters`;
}

/** The paging fields of a result built from one page of a catalog query. */
export function catalogPageFields(
  toolName: string,
  page: { totalItems: number; pageInfo: { nextCursor?: string } },
  shown: number,
) {
  const nextCursor = page.pageInfo.nextCursor;
  return {
    total_count: page.totalItems,
    next_cursor: nextCursor,
    truncation_hint: nextCursor
      ? nextPageHint(toolName, shown, page.totalItems)
      : undefined,
  };
}

/** The paging fields of a result built from one page of a list this plugin pages. */
export function offsetPageFields(
  toolName: string,
  offset: number,
  shown: number,
  total: number,
) {
  const end = offset + shown;
  const more = shown > 0 && end < total;
  return {
    total_count: total,
    next_cursor: more ? encodeOffsetCursor(end) : undefined,
    truncation_hint: more ? nextPageHint(toolName, shown, total) : undefined,
  };
}

/**
 * The output shape every list tool shares: a page of items and how to get
 * more (the cursor input says how next_cursor is used).
 */
export function pagedOutputSchema<TItem extends z.ZodType>(item: TItem) {
  return z.object({
    items: z.array(item),
    total_count: z.number().describe('Across all pages'),
    next_cursor: z.string().optional(),
    truncation_hint: truncationHintField,
  });
}
