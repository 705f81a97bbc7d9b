import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { migratedClient } from '../../database/migrations';
import { SecretEntryKey } from './secretCipher';

const TABLE = 'mcp_secret_entry_key';

/**
 * The key that seals pending template secrets: `mcp.secretEntry.encryptionKey`
 * when configured, otherwise a key generated once and kept in the plugin's
 * database. Replicas already share that database (the block list lives
 * there), so they share the generated key without any setup, and the secrets
 * in the cache stay unreadable to whoever can read only the cache. A key per
 * process would instead break secret entry, at random, as soon as a second
 * replica served the page.
 */
export async function resolveSecretEntryKey(options: {
  configured?: SecretEntryKey;
  database: DatabaseService;
  logger: LoggerService;
}): Promise<SecretEntryKey> {
  if (options.configured) return options.configured;
  const db = await migratedClient(options.database);
  // The first replica to get here stores its key; every other one reads it.
  await db(TABLE)
    .insert({
      id: 1,
      key: SecretEntryKey.generate().exportBase64(),
      created_at: new Date(),
    })
    .onConflict('id')
    .ignore();
  const row = await db(TABLE).where({ id: 1 }).first();
  options.logger.info(
    'mcp.secretEntry.encryptionKey is not set: pending template secrets are encrypted with a key generated once and kept in the plugin database. Set the key (e.g. from a secret store) to keep it out of the database',
  );
  return SecretEntryKey.fromBase64(
    String(row?.key ?? ''),
    `the ${TABLE} table of the mcp plugin database`,
  );
}
