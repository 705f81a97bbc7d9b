import { InputError } from '@backstage/errors';
import { PageHeading, PageSection } from './pageMarkdown';

/** Sections are separated by one blank line in the page's Markdown. */
const SEPARATOR = '\n\n';

/** The most headings an outline lists; deeper ones go first when cut. */
export const MAX_OUTLINE_ENTRIES = 100;

/** A heading of the outline, with the size of its section. */
export interface OutlineEntry extends PageHeading {
  /** Characters of Markdown in the section, its subsections included. */
  chars: number;
}

/** The Markdown of consecutive sections, as one text. */
export function joinSections(sections: PageSection[]): string {
  return sections
    .map(section => section.markdown)
    .filter(Boolean)
    .join(SEPARATOR);
}

/** Where the section that starts at `index` ends: before the next heading as high or higher. */
function sectionEnd(sections: PageSection[], index: number): number {
  const level = sections[index].heading?.level ?? 0;
  let end = index + 1;
  while (end < sections.length && (sections[end].heading?.level ?? 0) > level)
    end += 1;
  return end;
}

/**
 * The headings of a page with the size of each section, so that an agent can
 * pick the section it needs. Long outlines keep the higher levels.
 */
export function outlineOf(sections: PageSection[]): {
  entries: OutlineEntry[];
  omitted: number;
} {
  const entries = sections.flatMap((section, index) =>
    section.heading
      ? [
          {
            ...section.heading,
            chars: joinSections(
              sections.slice(index, sectionEnd(sections, index)),
            ).length,
          },
        ]
      : [],
  );
  let kept = entries;
  for (
    let level = 6;
    kept.length > MAX_OUTLINE_ENTRIES && level > 1;
    level -= 1
  ) {
    kept = kept.filter(entry => entry.level < level);
  }
  kept = kept.slice(0, MAX_OUTLINE_ENTRIES);
  return { entries: kept, omitted: entries.length - kept.length };
}

function normalized(text: string) {
  return text
    .trim()
    .replace(/^#/, '')
    .replace(/\s+/g, ' ')
    .toLocaleLowerCase('en-US');
}

/**
 * The section an agent asked for by heading title or anchor (case does not
 * matter), with its subsections. A unique partial title match is accepted.
 */
export function selectSection(
  sections: PageSection[],
  wanted: string,
  page: string,
): { heading: PageHeading; sections: PageSection[] } {
  const key = normalized(wanted);
  const headed = sections.flatMap((section, index) =>
    section.heading ? [{ heading: section.heading, index }] : [],
  );
  const exact = headed.filter(
    ({ heading }) =>
      heading.id.toLocaleLowerCase('en-US') === key ||
      normalized(heading.title) === key,
  );
  const partial = headed.filter(({ heading }) =>
    normalized(heading.title).includes(key),
  );
  const match = exact[0] ?? (partial.length === 1 ? partial[0] : undefined);
  if (!match || !key) {
    const names = (partial.length > 1 ? partial : headed)
      .slice(0, 30)
      .map(({ heading }) => `"${heading.title}" (${heading.id})`)
      .join(', ');
    const why =
      partial.length > 1 && key
        ? `matches several sections of ${page}`
        : `matches no section of ${page}`;
    throw new InputError(
      `section "${wanted}" ${why}. ${
        names
          ? `Pass one of these titles or anchors: ${names}`
          : 'The page has no headings: omit section'
      }`,
    );
  }
  return {
    heading: match.heading,
    sections: sections.slice(match.index, sectionEnd(sections, match.index)),
  };
}
