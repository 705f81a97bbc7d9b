import { sliceText } from './textWindow';

const LINES = Array.from(
  { length: 30 },
  (_, i) => `line ${String(i).padStart(2, '0')}`,
).join('\n'); // 7 characters and a newline each

describe('sliceText', () => {
  it('ends a window after the last line break in its second half, when asked to', () => {
    const window = sliceText(LINES, 0, 50, {
      noun: 'page',
      preferLineBreak: true,
    });
    expect(window.text).toBe(
      'line 00\nline 01\nline 02\nline 03\nline 04\nline 05\n',
    );
    expect(window.next_offset).toBe(48);
  });

  it('cuts at the budget when the second half has no line break', () => {
    const text = `${'a'.repeat(10)}\n${'b'.repeat(200)}`;
    const window = sliceText(text, 0, 100, {
      noun: 'page',
      preferLineBreak: true,
    });
    expect(window.text).toHaveLength(100);
    expect(window.next_offset).toBe(100);
  });

  it('cuts at the budget without the option', () => {
    expect(sliceText(LINES, 0, 50, { noun: 'definition' }).text).toHaveLength(
      50,
    );
  });

  it('joins windows cut at line breaks to the exact text', () => {
    const pieces: string[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const window = sliceText(LINES, offset, 40, {
        noun: 'page',
        preferLineBreak: true,
      });
      pieces.push(window.text);
      offset = window.next_offset;
    }
    expect(pieces.join('')).toBe(LINES);
    expect(pieces.slice(0, -1).every(piece => piece.endsWith('\n'))).toBe(true);
  });

  it('names the text in the error for an offset past its end', () => {
    expect(() => sliceText('abc', 4, 10, { noun: 'page' })).toThrow(
      'offset 4 is past the end of the page, which has 3 characters',
    );
  });
});
