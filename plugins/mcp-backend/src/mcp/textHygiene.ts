/**
 * Characters that render as nothing or reorder text: Unicode format
 * characters (zero-width spaces and joiners, bidirectional controls, the tag
 * block U+E0000–U+E007F, the byte order mark, ...) and the supplementary
 * variation selectors. Text that others wrote (descriptions, docs, task
 * logs) can hide instructions for a model in them; a reader never sees them.
 */
const INVISIBLE = /[\p{Cf}\u{E0100}-\u{E01EF}]/gu;

/** A value with its invisible characters removed, and how many there were. */
export interface CleanText<T> {
  value: T;
  removed: number;
}

/** Removes invisible characters from one string. */
export function stripInvisible(text: string): CleanText<string> {
  let removed = 0;
  const value = text.replace(INVISIBLE, () => {
    removed += 1;
    return '';
  });
  return { value, removed };
}

/**
 * Removes invisible characters from every string (keys included) of a JSON
 * value bound for a model. Values without any are returned as they are.
 */
export function stripInvisibleDeep<T>(input: T): CleanText<T> {
  let removed = 0;
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const result = stripInvisible(value);
      removed += result.removed;
      return result.value;
    }
    if (Array.isArray(value)) return value.map(clean);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, v]) => [clean(key), clean(v)]),
      );
    }
    return value;
  };
  const value = clean(input) as T;
  return { value: removed ? value : input, removed };
}
