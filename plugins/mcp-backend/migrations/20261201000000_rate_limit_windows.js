/*
 * Rate-limit budgets: one row per principal, budget and fixed window, counted
 * with conditional updates so that every replica shares one exact count.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('mcp_rate_limit_windows', table => {
    table.comment(
      'Calls counted per principal, budget and fixed window (mcp.rateLimits)',
    );
    // A hash, so that a principal of any length fits a primary key on every
    // database Backstage supports (MySQL limits index keys to 3072 bytes).
    table
      .string('window_key', 64)
      .primary()
      .notNullable()
      .comment('sha256 of principal, budget, window length and start');
    table
      .text('principal')
      .notNullable()
      .comment('user:default/jane or a static token subject');
    table.string('budget', 16).notNullable().comment('calls or writes');
    table
      .integer('window_ms')
      .notNullable()
      .comment('The length of the window');
    table.timestamp('window_start', { useTz: true }).notNullable();
    table
      .timestamp('window_ends_at', { useTz: true })
      .notNullable()
      .index()
      .comment('Rows are deleted some time after');
    table.integer('used').notNullable().comment('Calls admitted in the window');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mcp_rate_limit_windows');
};
