import { formatBudget } from './Budgets';

describe('formatBudget', () => {
  it.each([
    [undefined, 'unlimited'],
    [{ limit: 300, windowMs: 60_000 }, '300 per minute'],
    [{ limit: 20, windowMs: 30_000 }, '20 per 30 seconds'],
    [{ limit: 5, windowMs: 7_200_000 }, '5 per 2 hours'],
    [{ limit: 1000, windowMs: 86_400_000 }, '1000 per day'],
    [{ limit: 2, windowMs: 1500 }, '2 per 1500 ms'],
  ])('%j reads %s', (budget, expected) => {
    expect(formatBudget(budget)).toBe(expected);
  });
});
