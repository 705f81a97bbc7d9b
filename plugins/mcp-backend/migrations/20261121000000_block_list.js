/*
 * The kill switch's block list: principals whose MCP calls are refused.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('mcp_blocked_principals', table => {
    table.comment(
      'Principals (user entity refs or service subjects) refused by the MCP plugin',
    );
    table
      .string('principal', 512)
      .primary()
      .notNullable()
      .comment('user:default/jane or a static token subject');
    table
      .text('reason')
      .notNullable()
      .comment(
        'Why, as the administrator wrote it; shown to the blocked agent',
      );
    table
      .string('blocked_by', 512)
      .notNullable()
      .comment('The principal that applied the block');
    table.timestamp('blocked_at', { useTz: true }).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .nullable()
      .comment('Null: until lifted');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mcp_blocked_principals');
};
