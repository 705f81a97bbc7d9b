import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { SearchRequest } from './searchClient';

/**
 * The search backend's cursor is a page number that only means something
 * with the same term, types, filters and page size; ours carries them all,
 * so that the next page is exactly the next page of the same search.
 */
const cursorSchema = z.object({
  v: z.literal(1),
  request: z.strictObject({
    term: z.string(),
    types: z.array(z.string()).optional(),
    filters: z.record(z.string(), z.string()).optional(),
    pageLimit: z.number().int().positive(),
    pageCursor: z.string().min(1),
  }),
});

/** The request for the page after `request`, as an opaque cursor. */
export function encodeSearchCursor(
  request: SearchRequest,
  nextPageCursor: string,
): string {
  const payload: z.input<typeof cursorSchema> = {
    v: 1,
    request: {
      term: request.term,
      types: request.types,
      filters: request.filters,
      pageLimit: request.pageLimit!,
      pageCursor: nextPageCursor,
    },
  };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The request a cursor stands for; anything else is refused with a way out. */
export function decodeSearchCursor(cursor: string): SearchRequest {
  try {
    const parsed = cursorSchema.safeParse(
      JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')),
    );
    if (parsed.success) return parsed.data.request;
  } catch {
    // fall through to the error below
  }
  throw new InputError(
    'The cursor is not valid. Pass the next_cursor of the previous page unchanged, or omit it to start over',
  );
}
