import { InputError } from '@backstage/errors';

/** One window of a long text: where it sits in the whole and where to go on. */
export interface TextWindow {
  text: string;
  total_chars: number;
  offset: number;
  next_offset?: number;
  truncated: boolean;
}

/** How to cut a window. */
export interface SliceOptions {
  /** What the text is, for the error message, e.g. "definition" or "page". */
  noun: string;
  /**
   * End a cut window after the last line break in its second half, so that
   * each piece an agent reads ends on a whole line (Markdown stays readable);
   * the pieces still join to the exact text.
   */
  preferLineBreak?: boolean;
}

function isHighSurrogate(code: number) {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Cuts at most `maxChars` characters out of `text` from `offset`. Windows read
 * one after another with offset=next_offset join to the exact text.
 */
export function sliceText(
  text: string,
  offset: number,
  maxChars: number,
  options: SliceOptions,
): TextWindow {
  const total = text.length;
  if (offset > total) {
    throw new InputError(
      `offset ${offset} is past the end of the ${options.noun}, which has ${total} characters. ` +
        'Pass the next_offset of the previous result unchanged, or 0 to start over',
    );
  }
  let end = Math.min(total, offset + maxChars);
  if (end < total && options.preferLineBreak) {
    const lineEnd = text.lastIndexOf('\n', end - 1);
    if (lineEnd >= offset + Math.floor(maxChars / 2)) end = lineEnd + 1;
  }
  // A window must not end between the halves of a surrogate pair (an emoji,
  // say): a lone half is not valid Unicode and may be mangled in JSON transit,
  // which would break the exact join of consecutive windows.
  if (
    end < total &&
    end - offset > 1 &&
    isHighSurrogate(text.charCodeAt(end - 1))
  ) {
    end -= 1;
  }
  const truncated = end < total;
  return {
    text: text.slice(offset, end),
    total_chars: total,
    offset,
    next_offset: truncated ? end : undefined,
    truncated,
  };
}

/** Tells an agent how to read the rest of a cut text. */
export function continuationHint(
  window: Omit<TextWindow, 'text'>,
  options: {
    toolName: string;
    maxChars: number;
    maxAllowed: number;
    selectHint?: string;
  },
): string | undefined {
  if (!window.truncated) return undefined;
  const end = window.next_offset ?? window.total_chars;
  const parts = [
    `Showing characters ${window.offset} to ${end} of ${window.total_chars}.`,
    `For the rest, call ${options.toolName} again with the same arguments and offset=${end}; the pieces join to the exact text.`,
  ];
  if (options.maxChars < options.maxAllowed) {
    parts.push(
      `A larger max_chars (up to ${options.maxAllowed}) returns more per call.`,
    );
  }
  if (options.selectHint) parts.push(options.selectHint);
  return parts.join(' ');
}

/**
 * The most characters a text window (max_chars) may ask for: what fits in
 * the result size budget with the outline and paging fields around it.
 */
export function maxWindowChars(results: { maxResultChars: number }): number {
  return Math.floor(results.maxResultChars * 0.8);
}
