import { EXCERPT_CHARS, makeExcerpt, toPlainText } from './excerpt';

const PRE = '<abc-123>';
const POST = '</abc-123>';

describe('toPlainText', () => {
  it.each([
    [
      'HTML tags and entities',
      '<p>Refunds &amp; <em>retries</em>&nbsp;&#8212; see&#x20;below</p>',
      'Refunds & retries — see below',
    ],
    [
      'scripts and styles',
      'a<style>p { color: red }</style> b<script>alert(1)</script> c',
      'a b c',
    ],
    [
      'Markdown headings, lists and quotes',
      '# Title\n\n- one\n* two\n1. three\n> quoted',
      'Title one two three quoted',
    ],
    [
      'Markdown links, images and code',
      'See [the runbook](https://x.example/rb) ![diagram](d.png) and `make test`',
      'See the runbook diagram and make test',
    ],
    [
      'Markdown emphasis',
      'a **bold** and *italic* and __strong__ word',
      'a bold and italic and strong word',
    ],
    [
      'code fences and tables',
      '```yaml\nkey: value\n```\n| a | b |\n|---|---|\n| 1 | 2 |',
      'key: value a b 1 2',
    ],
    ['rules', 'above\n\n---\n\nbelow', 'above below'],
    [
      'identifiers with underscores, untouched',
      'set payment_intent_id and __init__ value',
      'set payment_intent_id and init value',
    ],
    [
      'comparisons that are not tags',
      'retries < 3 and x > 1',
      'retries < 3 and x > 1',
    ],
    ['unknown entities, kept', 'AT&T &bogus; ok', 'AT&T &bogus; ok'],
  ])('strips %s', (_name, input, expected) => {
    expect(toPlainText(input)).toBe(expected);
  });
});

describe('makeExcerpt', () => {
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

  it('keeps a short text whole, without highlight tags', () => {
    expect(
      makeExcerpt(`Orchestrates ${PRE}payment${POST} intents`, {
        preTag: PRE,
        postTag: POST,
      }),
    ).toBe('Orchestrates payment intents');
  });

  it('cuts a long text at a word boundary with an ellipsis', () => {
    const excerpt = makeExcerpt(filler(200));
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt.startsWith('w0 w1 ')).toBe(true);
    expect(filler(200).startsWith(excerpt.slice(0, -1))).toBe(true);
  });

  it('starts shortly before the first match of a long text', () => {
    const text = `${filler(150)} ${PRE}refund${POST} ${filler(150)}`;
    const excerpt = makeExcerpt(text, { preTag: PRE, postTag: POST });
    expect(excerpt.startsWith('…')).toBe(true);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS + 2);
    const before = excerpt.indexOf('refund');
    expect(before).toBeGreaterThan(30);
    expect(before).toBeLessThan(80);
    expect(excerpt).not.toContain(PRE);
  });

  it('fills the excerpt when the match is near the end', () => {
    const text = `${filler(150)} ${PRE}refund${POST}`;
    const excerpt = makeExcerpt(text, { preTag: PRE, postTag: POST });
    expect(excerpt.endsWith('refund')).toBe(true);
    expect(excerpt.length).toBeGreaterThan(EXCERPT_CHARS - 10);
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS + 1);
  });

  it('finds a match deep in a long HTML page', () => {
    const page = `${'<p>before</p> '.repeat(
      5000,
    )}<p>${PRE}refund${POST} after</p>${' after'.repeat(5000)}`;
    const excerpt = makeExcerpt(page, { preTag: PRE, postTag: POST });
    expect(excerpt).toMatch(/^…(before )+refund( after)+…$/);
    expect(excerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS + 2);
  });

  it('honours a smaller bound', () => {
    expect(makeExcerpt(filler(50), { maxChars: 20 })).toBe(
      'w0 w1 w2 w3 w4 w5…',
    );
  });
});
