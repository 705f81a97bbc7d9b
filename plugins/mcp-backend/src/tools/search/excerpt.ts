import { cutText } from '../../mcp/textHygiene';

/** The default length of an excerpt, in characters. */
export const EXCERPT_CHARS = 300;

/** How much context an excerpt keeps before the first highlighted match. */
const LEAD_CHARS = 60;

/**
 * Indexed text can be a whole documentation page: only this much raw text
 * around the first match is cleaned, which bounds the regex work per hit.
 */
const RAW_BEFORE = 2000;
const RAW_AFTER = 4000;

/**
 * Marks the first match while the text is cleaned; a control character,
 * because no cleaning step below touches it and indexed text never holds it.
 */
const MARK = '\u0001';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string) {
  return text.replace(
    /&(#\d+|#x[0-9a-f]+|[a-z]+);/gi,
    (whole, name: string) => {
      if (name[0] === '#') {
        const code =
          name[1] === 'x' || name[1] === 'X'
            ? parseInt(name.slice(2), 16)
            : parseInt(name.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : ' ';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    },
  );
}

/**
 * Plain text from indexed text, which may hold HTML (TechDocs pages) or
 * Markdown (descriptions): agents pay tokens for markup and gain nothing.
 */
export function toPlainText(text: string): string {
  return decodeEntities(
    text
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<\/?[a-z][^>]*>/gi, ' ')
      .replace(/```[^\n]*\n?/g, ' ')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/(\*\*|__)(\S(?:[\s\S]*?\S)?)\1/g, '$2')
      // Single underscores are left alone: identifiers like payment_intent_id.
      .replace(/\*(\S(?:[^*]*?\S)?)\*/g, '$1')
      .replace(/^[ \t]*(#{1,6}|>+|[-*+]|\d+\.)[ \t]+/gm, '')
      .replace(/^[ \t]*([-*_=])\1{2,}[ \t]*$/gm, ' ')
      .replace(
        /^[ \t]*\|?([ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(:?-{3,}:?)?[ \t]*$/gm,
        ' ',
      )
      .replace(/\|/g, ' '),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

/** Cuts at the last word boundary before `max` characters. */
function cutAtWord(text: string, max: number) {
  if (text.length <= max) return text;
  const cut = cutText(text, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A short plain-text excerpt of a search hit. With a highlight, the window
 * starts a little before the first match, so that the agent sees why the
 * document matched; the highlight tags themselves are removed.
 */
export function makeExcerpt(
  text: string,
  options: { preTag?: string; postTag?: string; maxChars?: number } = {},
): string {
  const maxChars = options.maxChars ?? EXCERPT_CHARS;
  let marked = text;
  if (options.preTag && options.postTag) {
    const first = Math.max(0, text.indexOf(options.preTag));
    marked = text
      .slice(Math.max(0, first - RAW_BEFORE), first + RAW_AFTER)
      .split(options.preTag)
      .join(MARK)
      .split(options.postTag)
      .join('');
  } else {
    marked = text.slice(0, RAW_AFTER);
  }
  const plain = toPlainText(marked);
  const match = plain.indexOf(MARK);
  // Never start later than needed to fill the excerpt to its length.
  const wanted = Math.min(match - LEAD_CHARS, plain.length - maxChars);
  const start = wanted > 0 ? plain.lastIndexOf(' ', wanted) + 1 : 0;
  const window = plain.slice(start).split(MARK).join('');
  const excerpt = cutAtWord(window, maxChars);
  return start > 0 ? `…${excerpt}` : excerpt;
}
