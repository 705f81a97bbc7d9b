import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * The plugin's database client, with its migrations applied unless the
 * portal runs them itself (`migrations.skip`). Called once at startup:
 * applying them at the first use of a table instead could meet the
 * migration lock of a replica that is starting.
 */
export async function migratedClient(database: DatabaseService): Promise<Knex> {
  const db = await database.getClient();
  if (!database.migrations?.skip) await migrate(db);
  return db;
}

/** Applies the plugin's migrations to a database (tests use it directly). */
export async function migrate(db: Knex): Promise<void> {
  await db.migrate.latest({
    directory: resolvePackagePath(
      '@backstage-mcp/plugin-mcp-backend',
      'migrations',
    ),
  });
}
