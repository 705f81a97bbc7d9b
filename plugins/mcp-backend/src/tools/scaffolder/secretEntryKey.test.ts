import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { SecretCipher, SecretEntryKey } from './secretCipher';
import { resolveSecretEntryKey } from './secretEntryKey';

jest.setTimeout(60_000);

// PostgreSQL: packages/backend/src/e2e (the replicas share it).
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('resolveSecretEntryKey', () => {
  it('uses the configured key and leaves the database alone', async () => {
    const configured = SecretEntryKey.generate();
    const database = mockServices.database.mock();
    const key = await resolveSecretEntryKey({
      configured,
      database,
      logger: mockServices.logger.mock(),
    });
    expect(key).toBe(configured);
    expect(database.getClient).not.toHaveBeenCalled();
  });

  it.each(databases.eachSupportedId())(
    'without one, generates a key once and shares it through the plugin database (%s)',
    async id => {
      const knex = await databases.init(id);
      const database = mockServices.database({ knex });
      const logger = mockServices.logger.mock();
      const replicaA = await resolveSecretEntryKey({ database, logger });
      const replicaB = await resolveSecretEntryKey({ database, logger });

      const sealed = new SecretCipher(replicaA).seal({ apiToken: 'x' }, 'k');
      expect(new SecretCipher(replicaB).open(sealed, 'k')).toEqual({
        apiToken: 'x',
      });
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining('mcp.secretEntry.encryptionKey is not set'),
      );
      expect(JSON.stringify(logger.info.mock.calls)).not.toContain(
        replicaA.exportBase64(),
      );
    },
  );
});
