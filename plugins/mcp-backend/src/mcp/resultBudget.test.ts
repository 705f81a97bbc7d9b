import { fitResult } from './resultBudget';

const size = (value: unknown) => JSON.stringify(value).length;

describe('fitResult', () => {
  it('leaves a result within the budget untouched', () => {
    const value = { items: [{ a: 1 }], next_cursor: 'abc' };
    // Measured once: the JSON is the result's text copy too.
    expect(fitResult(value, 10_000)).toEqual({
      value,
      json: JSON.stringify(value),
    });
  });

  it('keeps the first items of a page that fit, drops the cursor and says how to read them all', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({
      ref: `component:default/s${i}`,
      text: 'x'.repeat(2_000),
    }));
    const fitted = fitResult(
      { items, total_count: 300, next_cursor: 'c2' },
      60_000,
    )!;
    const kept = fitted.value.items as unknown[];
    expect(kept.length).toBeGreaterThan(20);
    expect(kept.length).toBeLessThan(30);
    expect(kept).toEqual(items.slice(0, kept.length));
    expect(fitted.value.next_cursor).toBeUndefined();
    expect(fitted.value.total_count).toBe(300);
    expect(fitted.notice).toContain(
      `this page shows ${kept.length} of its 100 items`,
    );
    expect(fitted.notice).toContain(`limit=${kept.length}`);
    // Room for the notice, wherever the caller puts it.
    expect(
      size({ ...fitted.value, truncation_hint: fitted.notice }),
    ).toBeLessThanOrEqual(60_000);
  });

  it('shortens the longest strings of anything else, and names them', () => {
    const value = {
      entity: {
        ref: 'api:default/big',
        spec: { definition: 'y'.repeat(150_000), note: 'z'.repeat(300) },
      },
    };
    const fitted = fitResult(value, 60_000)!;
    expect(size(fitted.value)).toBeLessThanOrEqual(60_000 - 500);
    const spec = (fitted.value.entity as any).spec;
    expect(spec.definition).toMatch(
      /^y+ …\[cut to fit the result size budget\]$/,
    );
    expect(spec.note).toBe('z'.repeat(300));
    expect(fitted.notice).toContain('entity.spec.definition was shortened');
    expect(value.entity.spec.definition).toHaveLength(150_000);
  });

  it('never splits a surrogate pair', () => {
    const fitted = fitResult({ text: '😀'.repeat(40_000) }, 10_000)!;
    const text = fitted.value.text as string;
    expect(text.replace(/ …\[cut.*$/, '')).not.toMatch(/[\uD800-\uDBFF]$/);
  });

  it('gives up when even cut strings and one item cannot fit', () => {
    const many = Object.fromEntries(
      Array.from({ length: 2_000 }, (_, i) => [`k${i}`, 'short']),
    );
    expect(fitResult(many, 5_000)).toBeUndefined();
  });
});
