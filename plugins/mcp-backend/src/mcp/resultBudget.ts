type Json = Record<string, unknown>;

/** What an answer cut to fit its budget keeps, and what the agent is told. */
export interface FittedResult {
  value: Json;
  /** Set when something was left out: what, and how to get it. */
  notice?: string;
  /** The JSON of an uncut value, measured once and reused as its text copy. */
  json?: string;
}

const CUT_MARK = ' …[cut to fit the result size budget]';
/** Strings are never cut below this: shorter text is not where the size is. */
const MIN_CUT_LENGTH = 200;

const sizeOf = (value: unknown) => JSON.stringify(value).length;

/** Room left for the notice, which the caller adds to the result. */
const NOTICE_ROOM = 600;

/** Keeps the first items of the page that fit, with a way to read them all. */
function fitItems(
  value: Json,
  budget: number,
  items: unknown[],
): FittedResult | undefined {
  const withItems = (count: number): Json => ({
    ...value,
    items: items.slice(0, count),
    next_cursor: undefined,
  });
  const noticeFor = (count: number) =>
    `Cut to fit the result size budget: this page shows ${count} of its ${items.length} items and no next_cursor. ` +
    `Call again with the same arguments and limit=${count} to page through all of them, or ask for smaller items (response_format "concise", or fields).`;
  let low = 0;
  let high = items.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (sizeOf(withItems(mid)) <= budget) low = mid;
    else high = mid - 1;
  }
  if (low === 0) return undefined;
  return { value: withItems(low), notice: noticeFor(low) };
}

/** Cuts the longest strings, one at a time, until the value fits. */
function fitStrings(value: Json, budget: number): FittedResult | undefined {
  const copy = structuredClone(value);
  let excess = sizeOf(copy) - budget;
  const cutPaths: string[] = [];
  while (excess > 0) {
    let longest:
      | {
          parent: Json | unknown[];
          key: string | number;
          path: string;
          length: number;
        }
      | undefined;
    const visit = (
      node: unknown,
      parent: Json | unknown[] | undefined,
      key: string | number,
      path: string,
    ) => {
      if (typeof node === 'string') {
        if (
          parent &&
          node.length > MIN_CUT_LENGTH &&
          (!longest || node.length > longest.length)
        ) {
          longest = { parent, key, path, length: node.length };
        }
      } else if (Array.isArray(node)) {
        node.forEach((item, index) => visit(item, node, index, path));
      } else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node))
          visit(v, node as Json, k, path ? `${path}.${k}` : k);
      }
    };
    visit(copy, undefined, '', '');
    if (!longest) return undefined;
    const text = (longest.parent as any)[longest.key] as string;
    const keep = Math.max(
      MIN_CUT_LENGTH,
      text.length - excess - CUT_MARK.length - 16,
    );
    // Never split a surrogate pair.
    const end = /[\uD800-\uDBFF]/.test(text[keep - 1] ?? '') ? keep - 1 : keep;
    (longest.parent as any)[longest.key] = `${text.slice(0, end)}${CUT_MARK}`;
    if (!cutPaths.includes(longest.path)) cutPaths.push(longest.path);
    excess = sizeOf(copy) - budget;
  }
  return {
    value: copy,
    notice: `Cut to fit the result size budget: ${cutPaths
      .slice(0, 5)
      .join(', ')}${
      cutPaths.length > 5 ? ` and ${cutPaths.length - 5} more` : ''
    } ${
      cutPaths.length === 1 ? 'was' : 'were'
    } shortened (marked "…[cut …]"). Ask for less to get it whole (a section, fewer fields, a smaller max_chars and offset).`,
  };
}

/**
 * Fits a tool's structured result into `limit` characters of JSON, so that
 * no arguments can make an answer larger than an agent's context allows.
 * A page keeps its first items (and says how to page through the rest);
 * anything else has its longest strings shortened. The shape stays valid
 * for the tool's output schema. Undefined when nothing can make it fit.
 */
export function fitResult(
  value: Json,
  limit: number,
): FittedResult | undefined {
  const json = JSON.stringify(value);
  if (json.length <= limit) return { value, json };
  const budget = limit - NOTICE_ROOM;
  const items = value.items;
  if (Array.isArray(items) && items.length > 1) {
    const fitted = fitItems(value, budget, items);
    if (fitted) return fitted;
  }
  return fitStrings(value, budget);
}
