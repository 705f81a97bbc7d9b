import { CacheService, PermissionsService } from '@backstage/backend-plugin-api';
import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import { AgentScope } from '../config';
import { TemplateRunDependencies } from '../tools/scaffolder';
import { SecretCipher, SecretEntryKey } from '../tools/scaffolder/secretCipher';
import { createSecretEntrants } from '../tools/scaffolder/secretEntrants';
import { SecretRequestStore } from '../tools/scaffolder/secretRequests';
import { createTemplateRunGate } from '../tools/scaffolder/templateRunGate';

/** Where secret entry links point in tests. */
export const TEST_SECRET_ENTRY_URL = 'http://portal.test/api/mcp/secrets';

/** An in-memory cache, as the backend's default cache service. */
export function memoryCache() {
  return CacheManager.fromConfig(mockServices.rootConfig()).forPlugin('mcp');
}

/**
 * The real template-run gate and secret store over an in-memory cache, with
 * a permissions service that allows everything unless one is given.
 */
export function templateRunsForTests(
  options: {
    permissions?: PermissionsService;
    agents?: Map<string, AgentScope>;
    defaultAgent?: AgentScope;
    /** The cache the secret requests live in: another replica's, to share it. */
    secretCache?: CacheService;
  } = {},
): TemplateRunDependencies & { secretRequests: SecretRequestStore } {
  return {
    assertMayRunTemplate: createTemplateRunGate({
      permissions: options.permissions ?? mockServices.permissions(),
      agents: options.agents ?? new Map(),
      defaultAgent: options.defaultAgent,
    }),
    secretRequests: new SecretRequestStore(options.secretCache ?? memoryCache(), new SecretCipher(SecretEntryKey.generate())),
    secretEntrants: createSecretEntrants({ agents: options.agents ?? new Map(), defaultAgent: options.defaultAgent }),
    secretEntryUrl: TEST_SECRET_ENTRY_URL,
  };
}
