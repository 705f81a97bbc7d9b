import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import path from 'node:path';
import {
  createRateLimiter,
  KEEP_ENDED_WINDOWS_MS,
  RATE_LIMIT_CLEANUP_TASK_ID,
} from './createRateLimiter';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const MINUTE = 60_000;
const noAgents = { agents: new Map() };

async function setup(rateLimits: object, agentScopes: any = noAgents) {
  const knex = await databases.init('SQLITE_3');
  await knex.migrate.latest({
    directory: path.resolve(__dirname, '../../migrations'),
  });
  const scheduler = mockServices.scheduler.mock();
  const limiter = await createRateLimiter({
    database: mockServices.database({ knex }),
    scheduler,
    logger: mockServices.logger.mock(),
    rateLimits,
    agentScopes,
    storeTimeoutMs: 1000,
  });
  return { knex, scheduler, limiter };
}

describe('createRateLimiter', () => {
  it('schedules the deletion of ended windows once across replicas, keeping recent ones', async () => {
    const { knex, scheduler, limiter } = await setup({
      calls: { limit: 5, windowMs: MINUTE },
    });
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: RATE_LIMIT_CLEANUP_TASK_ID,
      scope: 'global',
    });

    await limiter.take(
      'agent',
      { calls: { limit: 5, windowMs: MINUTE } },
      false,
    );
    await knex('mcp_rate_limit_windows').insert({
      window_key: 'a'.repeat(64),
      principal: 'agent',
      budget: 'calls',
      window_ms: MINUTE,
      window_start: new Date(Date.now() - KEEP_ENDED_WINDOWS_MS - 2 * MINUTE),
      window_ends_at: new Date(Date.now() - KEEP_ENDED_WINDOWS_MS - MINUTE),
      used: 5,
    });
    await task.fn(new AbortController().signal as any);
    const left = await knex('mcp_rate_limit_windows').select('window_key');
    expect(left).toHaveLength(1);
    expect(left[0].window_key).not.toBe('a'.repeat(64));
  });

  it.each([
    [
      'an agent',
      {},
      {
        agents: new Map([
          ['bot', { rateLimits: { writes: { limit: 1, windowMs: MINUTE } } }],
        ]),
      },
    ],
    [
      'the default agent',
      {},
      {
        agents: new Map(),
        defaultAgent: { rateLimits: { calls: { limit: 1, windowMs: MINUTE } } },
      },
    ],
  ])(
    'schedules it when only %s has budgets',
    async (_who, rateLimits, scopes) => {
      const { scheduler } = await setup(rateLimits, scopes);
      expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    },
  );

  it('schedules nothing when no principal has a budget', async () => {
    const { scheduler } = await setup(
      {},
      { agents: new Map([['bot', { readOnly: true }]]) },
    );
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
  });
});
