import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { BlockEntry, BlockList } from './blockList';

jest.setTimeout(60_000);

// PostgreSQL is covered by packages/backend/src/e2e/sharedState.e2e.test.ts.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function entry(
  principal: string,
  overrides: Partial<BlockEntry> = {},
): BlockEntry {
  return {
    principal,
    reason: 'runaway loop',
    blockedBy: 'user:default/admin',
    blockedAt: '2026-11-21T10:00:00.000Z',
    expiresAt: null,
    ...overrides,
  };
}

describe('BlockList', () => {
  it.each(databases.eachSupportedId())(
    'keeps blocks in the plugin database (%s)',
    async id => {
      const knex = await databases.init(id);
      const database = mockServices.database({ knex });
      const scheduler = mockServices.scheduler.mock();
      const create = () =>
        BlockList.create({
          database,
          logger: mockServices.logger.mock(),
          scheduler,
          refreshIntervalMs: 60_000,
        });

      const replicaA = await create();
      const replicaB = await create();
      await replicaA.block(entry('demo-agent'));
      // In force at once where it was applied...
      expect(replicaA.find('demo-agent')).toMatchObject({
        reason: 'runaway loop',
        blockedBy: 'user:default/admin',
      });
      // ...and on another replica at its next refresh.
      expect(replicaB.find('demo-agent')).toBeUndefined();
      await replicaB.refresh();
      expect(replicaB.find('demo-agent')?.blockedAt).toBe(
        '2026-11-21T10:00:00.000Z',
      );

      // Blocking again replaces the block.
      await replicaA.block(entry('demo-agent', { reason: 'still looping' }));
      expect(await replicaA.list()).toEqual([
        entry('demo-agent', { reason: 'still looping' }),
      ]);

      // A restart reads the list back from the database.
      const restarted = await create();
      expect(restarted.find('demo-agent')?.reason).toBe('still looping');

      await expect(replicaA.unblock('demo-agent')).resolves.toBe(true);
      await expect(replicaA.unblock('demo-agent')).resolves.toBe(false);
      expect(replicaA.find('demo-agent')).toBeUndefined();
      expect(await replicaA.list()).toEqual([]);
      // Each replica rereads the list on Backstage's scheduler, on its own.
      expect(scheduler.scheduleTask).toHaveBeenCalledTimes(3);
      expect(scheduler.scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: 'mcp-block-list-refresh',
          scope: 'local',
          frequency: { milliseconds: 60_000 },
        }),
      );
      const [{ fn }] = scheduler.scheduleTask.mock.calls[1];
      await replicaA.block(entry('other-agent'));
      expect(replicaB.find('other-agent')).toBeUndefined();
      await (fn as () => Promise<void>)();
      expect(replicaB.find('other-agent')).toBeDefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'lets a block with an expiry lapse by itself (%s)',
    async id => {
      const knex = await databases.init(id);
      const blockList = await BlockList.create({
        database: mockServices.database({ knex }),
        logger: mockServices.logger.mock(),
        scheduler: mockServices.scheduler.mock(),
        refreshIntervalMs: 60_000,
      });
      await blockList.block(
        entry('agent', { expiresAt: '2026-11-21T11:00:00.000Z' }),
      );
      expect(
        blockList.find('agent', Date.parse('2026-11-21T10:59:59.000Z')),
      ).toBeDefined();
      expect(
        blockList.find('agent', Date.parse('2026-11-21T11:00:00.000Z')),
      ).toBeUndefined();
      expect(
        await blockList.list(Date.parse('2026-11-21T11:00:01.000Z')),
      ).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps the last list in force when the database cannot be read (%s)',
    async id => {
      const knex = await databases.init(id);
      const logger = mockServices.logger.mock();
      const blockList = await BlockList.create({
        database: mockServices.database({ knex }),
        logger,
        scheduler: mockServices.scheduler.mock(),
        refreshIntervalMs: 60_000,
      });
      await blockList.block(entry('agent'));
      await knex.schema.renameTable('mcp_blocked_principals', 'unreadable');
      await blockList.refresh();
      await blockList.refresh();
      expect(blockList.find('agent')).toBeDefined();
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toMatch(
        /last one read stays in force/,
      );
      await knex.schema.renameTable('unreadable', 'mcp_blocked_principals');
      await blockList.refresh();
      expect(logger.info).toHaveBeenCalledWith('MCP block list readable again');
    },
  );

  it.each(databases.eachSupportedId())(
    'keys user refs the way Backstage compares them, rows written before that included (%s)',
    async id => {
      const knex = await databases.init(id);
      const blockList = await BlockList.create({
        database: mockServices.database({ knex }),
        logger: mockServices.logger.mock(),
        scheduler: mockServices.scheduler.mock(),
        refreshIntervalMs: 60_000,
      });
      // As an earlier version stored them: exactly as the administrator typed.
      await knex('mcp_blocked_principals').insert([
        {
          principal: 'User:Default/Jane',
          reason: 'until noon',
          blocked_by: 'ops-console',
          blocked_at: new Date('2026-11-21T10:00:00Z'),
          expires_at: new Date('2026-11-21T12:00:00Z'),
        },
        {
          principal: 'user:default/JANE',
          reason: 'for good',
          blocked_by: 'ops-console',
          blocked_at: new Date('2026-11-21T09:00:00Z'),
          expires_at: null,
        },
        {
          principal: 'Release-Bot',
          reason: 'loop',
          blocked_by: 'ops-console',
          blocked_at: new Date('2026-11-21T08:00:00Z'),
          expires_at: null,
        },
      ]);
      await blockList.refresh();
      const now = Date.parse('2026-11-21T11:00:00Z');
      // The block that lasts longest is in force, under the one key.
      expect(blockList.find('user:default/jane', now)?.reason).toBe('for good');
      expect(blockList.find('User:Default/Jane', now)?.reason).toBe('for good');
      expect(blockList.find('release-bot', now)).toBeUndefined();
      expect(
        (await blockList.list(now)).map(e => [e.principal, e.reason]),
      ).toEqual([
        ['user:default/jane', 'for good'],
        ['Release-Bot', 'loop'],
      ]);

      // Blocking again replaces every spelling; lifting lifts every spelling.
      await blockList.block(entry('USER:default/jane', { reason: 'replaced' }));
      expect(
        (await knex('mcp_blocked_principals').select('principal'))
          .map(r => r.principal)
          .sort(),
      ).toEqual(['Release-Bot', 'user:default/jane']);
      expect(blockList.find('user:default/jane')?.reason).toBe('replaced');
      await knex('mcp_blocked_principals').insert({
        principal: 'user:jane',
        reason: 'old replica',
        blocked_by: 'ops-console',
        blocked_at: new Date(),
        expires_at: null,
      });
      await expect(blockList.unblock('User:Default/Jane')).resolves.toBe(true);
      expect(blockList.find('user:default/jane')).toBeUndefined();
      expect((await blockList.list()).map(e => e.principal)).toEqual([
        'Release-Bot',
      ]);
      await expect(blockList.unblock('release-bot')).resolves.toBe(false);
    },
  );
});
