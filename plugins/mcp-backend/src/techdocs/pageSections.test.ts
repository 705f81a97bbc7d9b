import { PageSection } from './pageMarkdown';
import {
  joinSections,
  MAX_OUTLINE_ENTRIES,
  outlineOf,
  selectSection,
} from './pageSections';

const section = (
  level: number,
  title: string,
  body = 'Text.',
): PageSection => ({
  heading: { level, title, id: title.toLowerCase().replace(/\s+/g, '-') },
  markdown: `${'#'.repeat(level)} ${title}\n\n${body}`,
});

const PAGE: PageSection[] = [
  { markdown: 'Preamble.' },
  section(1, 'Runbook'),
  section(2, 'Alerts'),
  section(3, 'Disk full'),
  section(3, 'Disk slow'),
  section(2, 'Procedures'),
  section(3, 'Rollback'),
];

describe('joinSections', () => {
  it('separates sections by a blank line and skips empty ones', () => {
    expect(
      joinSections([{ markdown: 'a' }, { markdown: '' }, { markdown: 'b' }]),
    ).toBe('a\n\nb');
  });
});

describe('outlineOf', () => {
  it('sizes each section with its subsections', () => {
    const { entries, omitted } = outlineOf(PAGE);
    expect(omitted).toBe(0);
    expect(entries.map(e => [e.id, e.chars])).toEqual([
      ['runbook', joinSections(PAGE.slice(1)).length],
      ['alerts', joinSections(PAGE.slice(2, 5)).length],
      ['disk-full', PAGE[3].markdown.length],
      ['disk-slow', PAGE[4].markdown.length],
      ['procedures', joinSections(PAGE.slice(5)).length],
      ['rollback', PAGE[6].markdown.length],
    ]);
  });

  it('keeps the higher levels of a long outline', () => {
    const long = [
      section(1, 'Top'),
      ...Array.from({ length: 150 }, (_, i) =>
        section(i % 3 === 0 ? 2 : 3, `H ${i}`),
      ),
    ];
    const { entries, omitted } = outlineOf(long);
    expect(entries.length).toBeLessThanOrEqual(MAX_OUTLINE_ENTRIES);
    expect(entries.every(e => e.level <= 2)).toBe(true);
    expect(omitted).toBe(151 - entries.length);
  });
});

describe('selectSection', () => {
  it.each([
    ['an anchor', 'disk-full', ['disk-full']],
    ['a title in any case', 'DISK FULL', ['disk-full']],
    ['a #anchor', '#procedures', ['procedures', 'rollback']],
    ['a unique part of a title', 'roll', ['rollback']],
    ['a parent section', 'Alerts', ['alerts', 'disk-full', 'disk-slow']],
  ])('selects by %s, with subsections', (_name, wanted, ids) => {
    const selected = selectSection(PAGE, wanted, '/runbook/');
    expect(selected.sections.map(s => s.heading?.id)).toEqual(ids);
    expect(selected.heading.id).toBe(ids[0]);
  });

  it.each([
    [
      'no section',
      'Capacity',
      /section "Capacity" matches no section of \/runbook\/\. Pass one of these titles or anchors: "Runbook" \(runbook\), "Alerts"/,
    ],
    [
      'several sections',
      'disk',
      /section "disk" matches several sections of \/runbook\/\. Pass one of these titles or anchors: "Disk full" \(disk-full\), "Disk slow" \(disk-slow\)$/,
    ],
    [
      'nothing on a page without headings',
      'x',
      /The page has no headings: omit section/,
    ],
  ])('refuses a section that matches %s', (name, wanted, message) => {
    const page = name.startsWith('nothing')
      ? [{ markdown: 'Just text.' }]
      : PAGE;
    expect(() => selectSection(page, wanted, '/runbook/')).toThrow(message);
  });
});
