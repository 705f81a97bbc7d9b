/*
 * Who started each scaffolder task through MCP, for service principals: the
 * scaffolder records no creator for them, and cancelling or retrying a task
 * through MCP is limited to the tasks one started.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('mcp_task_starts', table => {
    table.comment(
      'Scaffolder tasks started through MCP by service principals, and by whom',
    );
    table
      .string('task_id', 64)
      .primary()
      .notNullable()
      .comment('The scaffolder task id');
    table
      .string('principal', 512)
      .notNullable()
      .comment('The subject of the service principal that started it');
    table.timestamp('started_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mcp_task_starts');
};
