import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { BlockEntry, BlockList } from './blockList';

jest.setTimeout(60_000);

// PostgreSQL is covered by packages/backend/src/e2e/sharedState.e2e.test.ts.
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function entry(principal: string, overrides: Partial<BlockEntry> = {}): BlockEntry {
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
  it.each(databases.eachSupportedId())('keeps blocks in the plugin database (%s)', async id => {
    const knex = await databases.init(id);
    const database = mockServices.database({ knex });
    const lifecycle = mockServices.lifecycle.mock();
    const create = () =>
      BlockList.create({ database, logger: mockServices.logger.mock(), lifecycle, refreshIntervalMs: 60_000 });

    const replicaA = await create();
    const replicaB = await create();
    await replicaA.block(entry('demo-agent'));
    // In force at once where it was applied...
    expect(replicaA.find('demo-agent')).toMatchObject({ reason: 'runaway loop', blockedBy: 'user:default/admin' });
    // ...and on another replica at its next refresh.
    expect(replicaB.find('demo-agent')).toBeUndefined();
    await replicaB.refresh();
    expect(replicaB.find('demo-agent')?.blockedAt).toBe('2026-11-21T10:00:00.000Z');

    // Blocking again replaces the block.
    await replicaA.block(entry('demo-agent', { reason: 'still looping' }));
    expect(await replicaA.list()).toEqual([entry('demo-agent', { reason: 'still looping' })]);

    // A restart reads the list back from the database.
    const restarted = await create();
    expect(restarted.find('demo-agent')?.reason).toBe('still looping');

    await expect(replicaA.unblock('demo-agent')).resolves.toBe(true);
    await expect(replicaA.unblock('demo-agent')).resolves.toBe(false);
    expect(replicaA.find('demo-agent')).toBeUndefined();
    expect(await replicaA.list()).toEqual([]);
    expect(lifecycle.addShutdownHook).toHaveBeenCalledTimes(3);
  });

  it.each(databases.eachSupportedId())('lets a block with an expiry lapse by itself (%s)', async id => {
    const knex = await databases.init(id);
    const blockList = await BlockList.create({
      database: mockServices.database({ knex }),
      logger: mockServices.logger.mock(),
      lifecycle: mockServices.lifecycle.mock(),
      refreshIntervalMs: 60_000,
    });
    await blockList.block(entry('agent', { expiresAt: '2026-11-21T11:00:00.000Z' }));
    expect(blockList.find('agent', Date.parse('2026-11-21T10:59:59.000Z'))).toBeDefined();
    expect(blockList.find('agent', Date.parse('2026-11-21T11:00:00.000Z'))).toBeUndefined();
    expect(await blockList.list(Date.parse('2026-11-21T11:00:01.000Z'))).toEqual([]);
  });

  it.each(databases.eachSupportedId())(
    'keeps the last list in force when the database cannot be read (%s)',
    async id => {
      const knex = await databases.init(id);
      const logger = mockServices.logger.mock();
      const blockList = await BlockList.create({
        database: mockServices.database({ knex }),
        logger,
        lifecycle: mockServices.lifecycle.mock(),
        refreshIntervalMs: 60_000,
      });
      await blockList.block(entry('agent'));
      await knex.schema.renameTable('mcp_blocked_principals', 'unreadable');
      await blockList.refresh();
      await blockList.refresh();
      expect(blockList.find('agent')).toBeDefined();
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toMatch(/last one read stays in force/);
      await knex.schema.renameTable('unreadable', 'mcp_blocked_principals');
      await blockList.refresh();
      expect(logger.info).toHaveBeenCalledWith('MCP block list readable again');
    },
  );
});
