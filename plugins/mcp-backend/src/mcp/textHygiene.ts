/**
 * Characters that render as nothing, reorder text or drive a terminal:
 * Unicode format characters (zero-width spaces and joiners, bidirectional
 * controls, the tag block U+E0000–U+E007F, the byte order mark, ...), the
 * supplementary variation selectors, lone surrogate halves (left by a cut
 * through a pair; not valid Unicode), and control characters other than
 * tab, line feed and carriage return. Text that others wrote (descriptions,
 * docs, task logs, error messages) can hide instructions for a model in
 * them; a reader never sees them.
 */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\p{Cf}\p{Cs}\u{E0100}-\u{E01EF}\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;

/**
 * ANSI escape sequences (CSI such as colours and cursor moves, OSC such as
 * window titles and hyperlinks, and two-character escapes), which task logs
 * carry: removed whole, before their ESC alone would be.
 */
const ANSI_ESCAPES =
  // eslint-disable-next-line no-control-regex
  /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])/g;

/** A value with its invisible characters removed, and how many there were. */
export interface CleanText<T> {
  value: T;
  removed: number;
}

/** Removes escape sequences and invisible characters from one string. */
export function stripInvisible(text: string): CleanText<string> {
  let removed = 0;
  const count = () => {
    removed += 1;
    return '';
  };
  const value = text.replace(ANSI_ESCAPES, count).replace(INVISIBLE, count);
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
        Object.entries(value as Record<string, unknown>).map(([key, v]) => [
          clean(key),
          clean(v),
        ]),
      );
    }
    return value;
  };
  const value = clean(input) as T;
  return { value: removed ? value : input, removed };
}

/**
 * The first `max` UTF-16 units of `text`, one fewer when the cut would split
 * a surrogate pair (an emoji, say): half a pair is not valid Unicode.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
