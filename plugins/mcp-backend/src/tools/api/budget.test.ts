import { continuationHint, sliceDefinition } from './budget';

const TEXT = 'abcdefghij'.repeat(25); // 250 characters

describe('sliceDefinition', () => {
  it.each([
    [
      0,
      100,
      { definition: TEXT.slice(0, 100), next_offset: 100, truncated: true },
    ],
    [
      100,
      100,
      { definition: TEXT.slice(100, 200), next_offset: 200, truncated: true },
    ],
    [
      200,
      100,
      { definition: TEXT.slice(200), next_offset: undefined, truncated: false },
    ],
    [0, 1000, { definition: TEXT, next_offset: undefined, truncated: false }],
    [250, 100, { definition: '', next_offset: undefined, truncated: false }],
  ])('from offset %i with %i chars', (offset, maxChars, expected) => {
    expect(sliceDefinition(TEXT, offset, maxChars)).toEqual({
      ...expected,
      total_chars: 250,
      offset,
    });
  });

  it('joins consecutive windows to the exact text', () => {
    const pieces: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const window = sliceDefinition(TEXT, offset, 77);
      expect(window.definition.length).toBeLessThanOrEqual(77);
      pieces.push(window.definition);
      offset = window.next_offset;
    }
    expect(pieces).toHaveLength(4);
    expect(pieces.join('')).toBe(TEXT);
  });

  it('does not split a surrogate pair', () => {
    const text = `${'x'.repeat(99)}😀${'y'.repeat(50)}`;
    const first = sliceDefinition(text, 0, 100);
    expect(first.definition).toBe('x'.repeat(99));
    expect(first.next_offset).toBe(99);
    const second = sliceDefinition(text, first.next_offset!, 100);
    expect(second.definition.startsWith('😀')).toBe(true);
    expect(first.definition + second.definition).toBe(text);
  });

  it('rejects an offset past the end', () => {
    expect(() => sliceDefinition(TEXT, 251, 100)).toThrow(
      /offset 251 is past the end of the definition, which has 250 characters/,
    );
  });
});

describe('continuationHint', () => {
  const options = { toolName: 'api_get_spec', maxChars: 100, maxAllowed: 1000 };

  it('says nothing when the text is complete', () => {
    expect(
      continuationHint(sliceDefinition(TEXT, 0, 1000), options),
    ).toBeUndefined();
  });

  it('says where to continue, and how to ask for more or less', () => {
    const hint = continuationHint(sliceDefinition(TEXT, 100, 100), {
      ...options,
      selectHint: 'Select paths.',
    });
    expect(hint).toBe(
      'Showing characters 100 to 200 of 250. For the rest, call api_get_spec again with the same arguments and offset=200; the pieces join to the exact text. A larger max_chars (up to 1000) returns more per call. Select paths.',
    );
  });
});
