import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const TABLE = 'mcp_task_starts';

interface TaskStartRow {
  task_id: string;
  principal: string;
  started_at: Date;
}

/**
 * Which service principal started each scaffolder task through MCP. The
 * scaffolder records the creator of a task only for users (`createdBy`), so
 * without this record no static-token agent would own the tasks it starts,
 * and could cancel or retry them only with the right to act on everyone's.
 *
 * Kept in the plugin's database, so that it survives restarts and every
 * replica reads the same; the table comes with the plugin's migrations,
 * which the plugin applies at startup.
 */
export class TaskStartRecord {
  readonly #client: () => Promise<Knex>;
  readonly #logger: LoggerService;

  static fromDatabase(
    database: DatabaseService,
    logger: LoggerService,
  ): TaskStartRecord {
    return new TaskStartRecord(() => database.getClient(), logger);
  }

  constructor(client: () => Promise<Knex>, logger: LoggerService) {
    this.#client = client;
    this.#logger = logger;
  }

  /**
   * Records that a principal started a task. Never fails: the task runs
   * already, and its starter learns its id either way; without the record
   * it can only act on the task with the right to act on anyone's.
   */
  async record(taskId: string, principal: string): Promise<void> {
    try {
      const db = await this.#client();
      await db<TaskStartRow>(TABLE)
        .insert({ task_id: taskId, principal, started_at: new Date() })
        .onConflict('task_id')
        .ignore();
    } catch (error) {
      this.#logger.warn(
        `Could not record that ${principal} started scaffolder task ${taskId}; it cannot cancel or retry that task through MCP without mcp.task.manage.others: ${
          (error as Error).message
        }`,
      );
    }
  }

  /** The service principal that started a task through MCP, if one did. */
  async startedBy(taskId: string): Promise<string | undefined> {
    const db = await this.#client();
    const row = await db<TaskStartRow>(TABLE)
      .where({ task_id: taskId })
      .first();
    return row?.principal;
  }
}
