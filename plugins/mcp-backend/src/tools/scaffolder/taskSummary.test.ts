import { stripSecrets, summarizeTask } from './taskSummary';
import { makeTask } from './taskFixtures';

describe('stripSecrets', () => {
  it.each([
    ['backstageToken', { backstageToken: 't', a: 1 }, { a: 1 }],
    [
      'nested secrets',
      { x: { secrets: { a: 1 }, password: 'p', ok: 'y' } },
      { x: { ok: 'y' } },
    ],
    [
      'keys in lists',
      [{ apiKey: 'k', api_key: 'k', name: 'n' }],
      [{ name: 'n' }],
    ],
    ['scalars', 3, 3],
  ])('removes %s', (_name, input, expected) => {
    expect(stripSecrets(input)).toEqual(expected);
  });
});

describe('summarizeTask', () => {
  it('leaves parameters and secrets out', () => {
    const summary = summarizeTask(makeTask());
    expect(Object.keys(summary)).toEqual([
      'id',
      'template_ref',
      'status',
      'created_at',
      'created_by',
      'last_heartbeat_at',
    ]);
  });
});
