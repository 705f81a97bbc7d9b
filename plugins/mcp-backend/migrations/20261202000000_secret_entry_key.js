/*
 * The key that seals pending template secrets in the cache when
 * mcp.secretEntry.encryptionKey is not configured: generated once, shared by
 * every replica through this database.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('mcp_secret_entry_key', table => {
    table.comment(
      'The generated key of the MCP secret entry page (unused when mcp.secretEntry.encryptionKey is set)',
    );
    table.integer('id').primary().notNullable().comment('Always 1: one key');
    table.text('key').notNullable().comment('32 random bytes, base64');
    table.timestamp('created_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('mcp_secret_entry_key');
};
