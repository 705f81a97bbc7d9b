import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { migrate } from '../../database/migrations';
import { TaskStartRecord } from './taskStarts';
import { TASK_ID, OTHER_TASK_ID } from './taskFixtures';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('TaskStartRecord', () => {
  it.each(databases.eachSupportedId())(
    'remembers who started a task, across instances (%s)',
    async id => {
      const knex = await databases.init(id);
      await migrate(knex);
      const database = mockServices.database({ knex });
      const record = TaskStartRecord.fromDatabase(
        database,
        mockServices.logger.mock(),
      );
      await record.record(TASK_ID, 'demo-agent');
      // A retry keeps the task id: the first starter stays its owner.
      await record.record(TASK_ID, 'other-agent');
      expect(await record.startedBy(TASK_ID)).toBe('demo-agent');
      expect(await record.startedBy(OTHER_TASK_ID)).toBeUndefined();
      const otherReplica = TaskStartRecord.fromDatabase(
        database,
        mockServices.logger.mock(),
      );
      expect(await otherReplica.startedBy(TASK_ID)).toBe('demo-agent');
    },
  );

  it('logs, and does not fail the run, when it cannot record', async () => {
    const logger = mockServices.logger.mock();
    const record = new TaskStartRecord(async () => {
      throw new Error('database unavailable');
    }, logger);
    await expect(record.record(TASK_ID, 'demo-agent')).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /demo-agent.*without mcp\.task\.manage\.others: database unavailable/,
      ),
    );
  });

  it('keeps its rows in the table the migrations create', async () => {
    const knex = await databases.init('SQLITE_3');
    await migrate(knex);
    const record = new TaskStartRecord(
      async () => knex as Knex,
      mockServices.logger.mock(),
    );
    await record.record(TASK_ID, 'demo-agent');
    expect(
      await knex('mcp_task_starts').select('task_id', 'principal'),
    ).toEqual([{ task_id: TASK_ID, principal: 'demo-agent' }]);
  });
});
