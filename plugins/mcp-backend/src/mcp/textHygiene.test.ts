import { stripInvisible, stripInvisibleDeep } from './textHygiene';

describe('text hygiene', () => {
  it.each([
    ['zero-width space and joiner', 'pay\u200Bment\u200D-service', 'payment-service', 2],
    ['bidirectional overrides and isolates', 'safe \u202Eevil\u202C \u2066x\u2069', 'safe evil x', 4],
    ['tag characters that spell hidden text', `ok${[...'ignore'].map(c => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('')}`, 'ok', 6],
    ['a byte order mark and a soft hyphen', '\uFEFFdocu\u00ADment', 'document', 2],
    ['supplementary variation selectors', `a${String.fromCodePoint(0xe0101)}b`, 'ab', 1],
  ])('removes %s', (_case, input, expected, removed) => {
    expect(stripInvisible(input)).toEqual({ value: expected, removed });
  });

  it.each([
    ['plain text', 'Checkout service: carts → orders'],
    ['emoji with the presentation selector', 'ship it 🚀\uFE0F'],
    ['right-to-left text itself', 'שלום مرحبا'],
    ['newlines and tabs', 'a\n\tb'],
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
      value: { entity: { description: 'Runs payments', tags: ['ab', 'c'] }, key: 3, ok: true },
      removed: 3,
    });
  });

  it('returns a clean value itself', () => {
    const input = { a: ['b'], c: 1 };
    expect(stripInvisibleDeep(input).value).toBe(input);
  });
});
