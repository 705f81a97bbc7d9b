import { Config, ConfigReader } from '@backstage/config';
import { readOptionalDurationMs } from './duration';
import { InputError } from '@backstage/errors';
import { MCP_TOOLSETS } from '@backstage-mcp/plugin-mcp-common';
import { AgentScope, readAgentScopes, readToolsetList } from './agentConfig';
import { EndpointScope, readEndpoints } from './endpointConfig';
import { readRedactionConfig, RedactionConfig } from './redactionConfig';
import { RateLimits, readRateLimits } from './rateLimitConfig';
import { SecretEntryKey } from '../tools/scaffolder/secretCipher';
import {
  ActionsBridgeConfig,
  bridgedToolsetNames,
  readActionsBridgeConfig,
} from './actionsConfig';

/** The MCP plugin's configuration, read and validated once at startup. */
export interface McpConfig {
  /** False: every MCP route answers 503, see config.d.ts. */
  enabled: boolean;
  /**
   * Served toolsets: native ones, those that modules add through the
   * extension point and those of bridged actions (`<pluginId>-actions`).
   */
  toolsets: ReadonlySet<string>;
  /** Which actions of the actions registry are served as tools. */
  actions: ActionsBridgeConfig;
  readOnly: boolean;
  /** Origins accepted in addition to the backend's and the app's own. */
  allowedOrigins: readonly string[];
  maxRequestBodyBytes: number;
  /**
   * How long a request waits for the services it calls before it answers
   * with an error (tools that wait on purpose add their wait).
   */
  callTimeoutMs: number;
  /** How long a user's mcp.tool.invoke decision is reused; 0: never. */
  toolPermissionTtlMs: number;
  telemetry: {
    /** Whether spans carry the (secret-redacted) summary of tool arguments. */
    captureArguments: boolean;
  };
  results: {
    defaultPageSize: number;
    maxPageSize: number;
    defaultSpecChars: number;
    defaultDocChars: number;
    /** The most characters of JSON one tool result may have; larger ones are cut. */
    maxResultChars: number;
  };
  techdocs: {
    /**
     * The portal's `techdocs.builder`: with `local` the TechDocs backend
     * builds docs on request, with `external` a CI pipeline publishes them.
     */
    builder: 'local' | 'external';
    /** How long a read waits for a docs build it started; 0 starts none. */
    buildWaitMs: number;
  };
  /** Scopes of service principals, by token subject. */
  agents: ReadonlyMap<string, AgentScope>;
  /** The scope of service principals not in {@link McpConfig.agents}; absent: none. */
  defaultAgent?: AgentScope;
  /** Named endpoints served at `/api/mcp/<name>`, by name. */
  endpoints: ReadonlyMap<string, EndpointScope>;
  /** Field restrictions on results, global and per agent. */
  redaction: RedactionConfig;
  /** Call budgets per principal; agents may have their own, see {@link AgentScope}. */
  rateLimits: RateLimits;
  rateLimitStore: {
    /** How long a budget check waits for the database before the call runs unchecked. */
    timeoutMs: number;
  };
  killSwitch: {
    /** How often each replica rereads the block list from the database. */
    refreshIntervalMs: number;
  };
  secretEntry: {
    /** Seals pending template secrets; absent: a key kept in the plugin database. */
    encryptionKey?: SecretEntryKey;
  };
  /**
   * Settings of the portal around the plugin, read from other plugins' keys
   * so that tool results match what those plugins do.
   */
  portal: {
    /** `app.baseUrl`: relative links in results become portal URLs. */
    appBaseUrl?: string;
    /** `search.maxTermLength`: the search backend refuses longer queries. */
    searchMaxTermLength: number;
    /**
     * `search.collators.catalog.locationTemplate`: catalog search documents
     * carry no entity name, so refs are read back from their location.
     */
    catalogSearchLocationTemplate: string;
  };
}

/** The search backend's defaults for the keys in {@link McpConfig.portal}. */
const SEARCH_DEFAULTS = {
  maxTermLength: 100,
  catalogLocationTemplate: '/catalog/:namespace/:kind/:name',
};

function positiveInteger(
  config: Config | undefined,
  path: string,
  fallback: number,
) {
  const key = path.split('.').pop()!;
  const value = config?.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new InputError(
      `Config mcp.${path} must be a positive integer, got ${value}`,
    );
  }
  return value;
}

/**
 * Reads the `mcp` config section, failing startup on invalid values.
 * `definedToolsets` are the plugin's own and those that modules added.
 */
export function readMcpConfig(
  rootConfig: Config,
  definedToolsets: readonly string[] = MCP_TOOLSETS,
): McpConfig {
  const config = rootConfig.getOptionalConfig('mcp') ?? new ConfigReader({});
  const actions = readActionsBridgeConfig(rootConfig);
  const knownToolsets = [...definedToolsets, ...bridgedToolsetNames(actions)];

  const toolsets = new Set(
    readToolsetList(config, 'toolsets', 'mcp.toolsets', knownToolsets) ??
      knownToolsets,
  );
  toolsets.add('core');

  const results = config.getOptionalConfig('results');
  const maxPageSize = positiveInteger(results, 'results.maxPageSize', 100);
  // An unset default follows a lowered maximum instead of failing startup.
  const defaultPageSize = positiveInteger(
    results,
    'results.defaultPageSize',
    Math.min(20, maxPageSize),
  );
  if (defaultPageSize > maxPageSize) {
    throw new InputError(
      `Config mcp.results.defaultPageSize (${defaultPageSize}) exceeds mcp.results.maxPageSize (${maxPageSize})`,
    );
  }

  // About 15,000 tokens: well under what clients accept from one tool
  // result (Claude Code: 25,000 tokens).
  const maxResultChars = positiveInteger(
    results,
    'results.maxResultChars',
    60_000,
  );
  if (maxResultChars < 5_000) {
    throw new InputError(
      `Config mcp.results.maxResultChars must be at least 5000, got ${maxResultChars}`,
    );
  }
  const defaultSpecChars = positiveInteger(
    results,
    'results.defaultSpecChars',
    20000,
  );
  const defaultDocChars = positiveInteger(
    results,
    'results.defaultDocChars',
    20000,
  );
  for (const [key, value] of [
    ['defaultSpecChars', defaultSpecChars],
    ['defaultDocChars', defaultDocChars],
  ] as const) {
    if (value > maxResultChars * 0.8) {
      throw new InputError(
        `Config mcp.results.${key} (${value}) must leave room in mcp.results.maxResultChars (${maxResultChars}): at most ${Math.floor(
          maxResultChars * 0.8,
        )}`,
      );
    }
  }

  const techdocsBuilder =
    rootConfig.getOptionalString('techdocs.builder') ?? 'local';
  if (techdocsBuilder !== 'local' && techdocsBuilder !== 'external') {
    throw new InputError(
      `Config techdocs.builder must be "local" or "external", got "${techdocsBuilder}"`,
    );
  }
  const buildWaitSeconds =
    config.getOptionalNumber('techdocs.buildWaitSeconds') ?? 30;
  if (
    !Number.isInteger(buildWaitSeconds) ||
    buildWaitSeconds < 0 ||
    buildWaitSeconds > 600
  ) {
    throw new InputError(
      `Config mcp.techdocs.buildWaitSeconds must be an integer from 0 to 600, got ${buildWaitSeconds}`,
    );
  }

  const refreshIntervalMs =
    readOptionalDurationMs(
      config,
      'killSwitch.refreshInterval',
      'mcp.killSwitch.refreshInterval',
      {
        minMs: 100,
        maxMs: 60_000,
        description: '100 ms to 1 minute',
      },
    ) ?? 2000;

  const encryptionKey = config.getOptionalString('secretEntry.encryptionKey');
  const storeTimeoutMs =
    readOptionalDurationMs(
      config,
      'rateLimits.storeTimeout',
      'mcp.rateLimits.storeTimeout',
      {
        minMs: 10,
        maxMs: 60_000,
        description: '10 ms to 1 minute',
      },
    ) ?? 2000;

  return {
    enabled: config.getOptionalBoolean('enabled') ?? true,
    toolsets,
    actions,
    readOnly: config.getOptionalBoolean('readOnly') ?? false,
    allowedOrigins: config.getOptionalStringArray('allowedOrigins') ?? [],
    maxRequestBodyBytes: positiveInteger(
      config,
      'maxRequestBodyBytes',
      256 * 1024,
    ),
    callTimeoutMs:
      readOptionalDurationMs(config, 'callTimeout', 'mcp.callTimeout', {
        minMs: 1000,
        maxMs: 10 * 60_000,
        description: '1 second to 10 minutes',
      }) ?? 30_000,
    toolPermissionTtlMs:
      readOptionalDurationMs(
        config,
        'toolPermissionTtl',
        'mcp.toolPermissionTtl',
        { minMs: 0, maxMs: 5 * 60_000, description: '0 to 5 minutes' },
      ) ?? 10_000,
    telemetry: {
      captureArguments:
        config.getOptionalBoolean('telemetry.captureArguments') ?? false,
    },
    results: {
      defaultPageSize,
      maxPageSize,
      defaultSpecChars,
      defaultDocChars,
      maxResultChars,
    },
    ...readAgentScopes(config, knownToolsets),
    endpoints: readEndpoints(config, knownToolsets),
    redaction: readRedactionConfig(config),
    rateLimits: readRateLimits(config, 'mcp') ?? {},
    rateLimitStore: { timeoutMs: storeTimeoutMs },
    killSwitch: { refreshIntervalMs },
    secretEntry:
      encryptionKey === undefined
        ? {}
        : {
            encryptionKey: SecretEntryKey.fromBase64(
              encryptionKey,
              'mcp.secretEntry.encryptionKey',
            ),
          },
    portal: {
      appBaseUrl: rootConfig.getOptionalString('app.baseUrl'),
      searchMaxTermLength:
        rootConfig.getOptionalNumber('search.maxTermLength') ??
        SEARCH_DEFAULTS.maxTermLength,
      catalogSearchLocationTemplate:
        rootConfig.getOptionalString(
          'search.collators.catalog.locationTemplate',
        ) ?? SEARCH_DEFAULTS.catalogLocationTemplate,
    },
    techdocs: {
      builder: techdocsBuilder,
      buildWaitMs: buildWaitSeconds * 1000,
    },
  };
}
