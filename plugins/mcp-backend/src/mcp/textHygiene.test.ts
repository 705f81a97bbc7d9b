import { cutText, stripInvisible, stripInvisibleDeep } from './textHygiene';

describe('text hygiene', () => {
  it.each([
    [
      'zero-width space and joiner',
      'pay\u200Bment\u200D-service',
      'payment-service',
      2,
    ],
    [
      'bidirectional overrides and isolates',
      'safe \u202Eevil\u202C \u2066x\u2069',
      'safe evil x',
      4,
    ],
    [
      'tag characters that spell hidden text',
      `ok${[...'ignore']
        .map(c => String.fromCodePoint(0xe0000 + c.charCodeAt(0)))
        .join('')}`,
      'ok',
      6,
    ],
    [
      'a byte order mark and a soft hyphen',
      '\uFEFFdocu\u00ADment',
      'document',
      2,
    ],
    [
      'supplementary variation selectors',
      `a${String.fromCodePoint(0xe0101)}b`,
      'ab',
      1,
    ],
    // Task logs: colours, a cursor move, a window title and a hyperlink.
    [
      'ANSI colour and cursor sequences',
      '\u001b[31mfailed\u001b[0m \u001b[2K\u001b[1A done',
      'failed  done',
      4,
    ],
    [
      'ANSI OSC sequences',
      '\u001b]0;title\u0007a \u001b]8;;https://x.example\u001b\\link\u001b]8;;\u001b\\',
      'a link',
      3,
    ],
    [
      'other control characters',
      'a\u0000b\u0007c\u001bd\u007fe\u0085f',
      'abcdef',
      5,
    ],
    ['lone surrogate halves', 'cut\ud83d and \ude80 here', 'cut and  here', 2],
  ])('removes %s', (_case, input, expected, removed) => {
    expect(stripInvisible(input)).toEqual({ value: expected, removed });
  });

  it.each([
    ['plain text', 'Checkout service: carts → orders'],
    ['emoji with the presentation selector', 'ship it 🚀\uFE0F'],
    ['right-to-left text itself', 'שלום مرحبا'],
    ['newlines, carriage returns and tabs', 'a\r\n\tb'],
    ['a whole surrogate pair', 'rocket 🚀 ok'],
  ])('keeps %s', (_case, input) => {
    expect(stripInvisible(input)).toEqual({ value: input, removed: 0 });
  });

  it('cleans every string of a JSON value, keys included, and counts what it removed', () => {
    const input = {
      entity: { description: 'Runs\u200B payments', tags: ['a\u202Eb', 'c'] },
      ['k\u200Cey']: 3,
      ok: true,
    };
    expect(stripInvisibleDeep(input)).toEqual({
      value: {
        entity: { description: 'Runs payments', tags: ['ab', 'c'] },
        key: 3,
        ok: true,
      },
      removed: 3,
    });
  });

  it('returns a clean value itself', () => {
    const input = { a: ['b'], c: 1 };
    expect(stripInvisibleDeep(input).value).toBe(input);
  });

  it.each([
    ['a short text', 'abc', 5, 'abc'],
    ['a plain cut', 'abcdef', 3, 'abc'],
    ['a cut through a surrogate pair', 'ab🚀cd', 3, 'ab'],
    ['a cut after a surrogate pair', 'ab🚀cd', 4, 'ab🚀'],
  ])(
    'cuts %s without splitting a surrogate pair',
    (_case, text, max, expected) => {
      expect(cutText(text, max)).toBe(expected);
    },
  );
});
