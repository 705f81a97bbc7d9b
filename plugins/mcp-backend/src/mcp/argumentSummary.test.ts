import { summarizeArguments, summarizeToolArguments } from './argumentSummary';

describe('summarizeArguments', () => {
  it('keeps small, harmless arguments as they are', () => {
    const args = {
      ref: 'component:default/checkout',
      limit: 20,
      detailed: false,
      cursor: null,
      kind: ['API'],
    };
    expect(summarizeArguments(args)).toEqual(args);
  });

  it.each([
    'token',
    'access_token',
    'password',
    'passwd',
    'secret',
    'clientSecret',
    'apiKey',
    'api_key',
    'API-KEY',
    'Authorization',
    'credentials',
    'private_key',
    'privateKey',
  ])('redacts the value under %p', key => {
    const summary = summarizeArguments({ [key]: 'hunter2', ref: 'a' }) as any;
    expect(summary).toEqual({ [key]: '[redacted]', ref: 'a' });
    expect(JSON.stringify(summary)).not.toContain('hunter2');
  });

  it('redacts secrets nested in objects and lists, and whole objects under a secret key', () => {
    const summary = summarizeArguments({
      filter: { 'spec.owner': 'team-a', token: 'abc123' },
      items: [{ password: 'p4ss' }],
      credentials: { user: 'bot', key: 'k3y' },
    });
    expect(summary).toEqual({
      filter: { 'spec.owner': 'team-a', token: '[redacted]' },
      items: [{ password: '[redacted]' }],
      credentials: '[redacted]',
    });
    expect(JSON.stringify(summary)).not.toMatch(/abc123|p4ss|k3y/);
  });

  it.each([
    ['a string at the limit', 'x'.repeat(200), 'x'.repeat(200)],
    ['a longer string', 'x'.repeat(250), `${'x'.repeat(200)}… (250 chars)`],
    [
      'a megabyte',
      'y'.repeat(1_000_000),
      `${'y'.repeat(200)}… (1000000 chars)`,
    ],
  ])('cuts %s', (_name, value, expected) => {
    expect(summarizeArguments({ query: value })).toEqual({ query: expected });
  });

  it('cuts long lists and reports how many items were left out', () => {
    const list = Array.from({ length: 25 }, (_, i) => i);
    expect(summarizeArguments({ kind: list })).toEqual({
      kind: [...list.slice(0, 20), '… 5 more'],
    });
    expect(summarizeArguments(list.slice(0, 20))).toEqual(list.slice(0, 20));
  });

  it('cuts objects with many keys', () => {
    const many = Object.fromEntries(
      Array.from({ length: 23 }, (_, i) => [`k${i}`, i]),
    );
    const summary = summarizeArguments(many) as Record<string, unknown>;
    expect(Object.keys(summary)).toHaveLength(21);
    expect(summary['…']).toBe('3 more keys');
    expect(summary.k19).toBe(19);
    expect(summary).not.toHaveProperty('k20');
  });

  it('cuts deep nesting', () => {
    const deep = { a: { b: { c: { d: { e: 'deep' } } } } };
    expect(summarizeArguments(deep)).toEqual({
      a: { b: { c: { d: '[nested]' } } },
    });
  });

  it.each([
    ['null', null, null],
    ['a number', 3, 3],
    ['a boolean', true, true],
    ['an empty object', {}, {}],
    ['undefined', undefined, 'undefined'],
  ])('turns %s into JSON', (_name, value, expected) => {
    expect(summarizeArguments(value)).toEqual(expected);
  });
});

describe('summarizeToolArguments', () => {
  it('records only the keys of opaque inputs', () => {
    const summary = summarizeToolArguments(
      {
        ref: 'template:default/x',
        values: { name: 'svc', dbConnection: 'postgres://u:hunter2@db' },
      },
      ['values'],
    );
    expect(summary).toEqual({
      ref: 'template:default/x',
      values: '[values of: name, dbConnection]',
    });
    expect(JSON.stringify(summary)).not.toContain('hunter2');
  });

  it('redacts an opaque input that is not an object', () => {
    expect(summarizeToolArguments({ values: 'hunter2' }, ['values'])).toEqual({
      values: '[redacted]',
    });
  });

  it('summarizes as before when nothing is opaque', () => {
    expect(summarizeToolArguments({ token: 'x', q: 'y' })).toEqual({
      token: '[redacted]',
      q: 'y',
    });
  });
});
