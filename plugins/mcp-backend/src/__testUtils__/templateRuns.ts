import {
  CacheService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { AgentScope } from '../config';
import { migrate } from '../database/migrations';
import { TemplateRunDependencies } from '../tools/scaffolder';
import { SecretCipher, SecretEntryKey } from '../tools/scaffolder/secretCipher';
import { createSecretEntrants } from '../tools/scaffolder/secretEntrants';
import { SecretRequestStore } from '../tools/scaffolder/secretRequests';
import { createTaskActionGate } from '../tools/scaffolder/taskActionGate';
import { TaskStartRecord } from '../tools/scaffolder/taskStarts';
import { createTemplateRunGate } from '../governance/templateRunGate';

/** Where secret entry links point in tests. */
export const TEST_SECRET_ENTRY_URL = 'http://portal.test/api/mcp/secrets';

/** An in-memory cache, as the backend's default cache service. */
export function memoryCache() {
  return CacheManager.fromConfig(mockServices.rootConfig()).forPlugin('mcp');
}

/**
 * The real task start record on the plugin's migrated schema, in an SQLite
 * database in memory that is created on first use.
 */
export function taskStartsForTests(): TaskStartRecord & {
  database(): Promise<Knex>;
} {
  let db: Promise<Knex> | undefined;
  const database = () =>
    (db ??= (async () => {
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: ':memory:',
        useNullAsDefault: true,
      });
      await migrate(knex);
      return knex;
    })());
  return Object.assign(
    new TaskStartRecord(database, mockServices.logger.mock()),
    { database },
  );
}

/**
 * The real template-run and task-action gates, task start record and secret
 * store (in-memory cache and database), with a permissions service that
 * allows everything unless one is given.
 */
export function templateRunsForTests(
  options: {
    permissions?: PermissionsService;
    agents?: Map<string, AgentScope>;
    taskStarts?: TaskStartRecord;
    defaultAgent?: AgentScope;
    /** The cache the secret requests live in: another replica's, to share it. */
    secretCache?: CacheService;
  } = {},
): TemplateRunDependencies & { secretRequests: SecretRequestStore } {
  const permissions = options.permissions ?? mockServices.permissions();
  const taskStarts = options.taskStarts ?? taskStartsForTests();
  return {
    assertMayRunTemplate: createTemplateRunGate({
      permissions,
      agents: options.agents ?? new Map(),
      defaultAgent: options.defaultAgent,
    }),
    assertMayActOnTask: createTaskActionGate({ permissions, taskStarts }),
    taskStarts,
    secretRequests: new SecretRequestStore(
      options.secretCache ?? memoryCache(),
      new SecretCipher(SecretEntryKey.generate()),
    ),
    secretEntrants: createSecretEntrants({
      agents: options.agents ?? new Map(),
      defaultAgent: options.defaultAgent,
    }),
    secretEntryUrl: TEST_SECRET_ENTRY_URL,
  };
}
