import { memoryCache } from '../__testUtils__/templateRuns';
import { RateLimiter } from './rateLimiter';

const MINUTE = 60_000;

function clockAt(ms: number) {
  const clock = { now: ms, read: () => clock.now };
  return clock;
}

describe('RateLimiter', () => {
  it('admits `limit` calls per window, then refuses with the time left in the window', async () => {
    const clock = clockAt(10 * MINUTE + 15_000);
    const limiter = new RateLimiter(memoryCache(), clock.read);
    const limits = { calls: { limit: 3, windowMs: MINUTE } };
    for (let i = 0; i < 3; i++) {
      await expect(limiter.take('user:default/jane', limits, false)).resolves.toBeUndefined();
    }
    await expect(limiter.take('user:default/jane', limits, false)).resolves.toEqual({
      budget: 'calls',
      limit: 3,
      windowMs: MINUTE,
      retryAfterMs: 45_000,
    });
    // Another principal has its own budget.
    await expect(limiter.take('demo-agent', limits, false)).resolves.toBeUndefined();
    // The next window starts full.
    clock.now = 11 * MINUTE;
    await expect(limiter.take('user:default/jane', limits, false)).resolves.toBeUndefined();
  });

  it('counts writes in both budgets, and a refused write takes nothing from `calls`', async () => {
    const limiter = new RateLimiter(memoryCache(), clockAt(0).read);
    const limits = { calls: { limit: 3, windowMs: MINUTE }, writes: { limit: 1, windowMs: MINUTE } };
    await expect(limiter.take('agent', limits, true)).resolves.toBeUndefined();
    await expect(limiter.take('agent', limits, true)).resolves.toMatchObject({ budget: 'writes', limit: 1 });
    await expect(limiter.take('agent', limits, true)).resolves.toMatchObject({ budget: 'writes' });
    // One write and two reads fill `calls`: the refused writes did not count.
    await expect(limiter.take('agent', limits, false)).resolves.toBeUndefined();
    await expect(limiter.take('agent', limits, false)).resolves.toBeUndefined();
    await expect(limiter.take('agent', limits, false)).resolves.toMatchObject({ budget: 'calls' });
  });

  it('never admits more than the limit from concurrent calls in one process', async () => {
    const limiter = new RateLimiter(memoryCache(), clockAt(0).read);
    const limits = { calls: { limit: 5, windowMs: MINUTE } };
    const outcomes = await Promise.all(
      Array.from({ length: 25 }, () => limiter.take('agent', limits, false)),
    );
    expect(outcomes.filter(o => o === undefined)).toHaveLength(5);
  });

  it('shares one budget between limiters on the same cache, as replicas on one Redis do', async () => {
    const cache = memoryCache();
    const clock = clockAt(0);
    const replicas = [new RateLimiter(cache, clock.read), new RateLimiter(cache, clock.read)];
    const limits = { calls: { limit: 4, windowMs: MINUTE } };
    const admitted: number[] = [];
    for (let i = 0; i < 10; i++) {
      if ((await replicas[i % 2].take('agent', limits, false)) === undefined) admitted.push(i);
    }
    expect(admitted).toEqual([0, 1, 2, 3]);
  });

  it('takes nothing and refuses nothing without budgets', async () => {
    const cache = memoryCache();
    const get = jest.spyOn(cache, 'get');
    const limiter = new RateLimiter(cache);
    await expect(limiter.take('agent', {}, true)).resolves.toBeUndefined();
    await expect(limiter.take('agent', { writes: { limit: 1, windowMs: MINUTE } }, false)).resolves.toBeUndefined();
    expect(get).not.toHaveBeenCalled();
  });
});
