import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Minimatch } from 'minimatch';
import { readOptionalDurationMs } from './duration';
import { NATIVELY_COVERED_ACTIONS } from '../actions/coveredActions';
import {
  actionToolNamePrefix,
  actionToolsetName,
} from '../actions/actionToolNames';

/** How the actions registry's actions are served, from `mcp.actions`. */
export interface ActionsBridgeConfig {
  /** False: no action is served as a tool. */
  enabled: boolean;
  /** The plugins whose actions are read (`backend.actions.pluginSources`). */
  pluginSources: readonly string[];
  /** Glob patterns of the action ids to serve. */
  include: readonly string[];
  /** Glob patterns of the action ids never to serve. */
  exclude: readonly string[];
  /** How often the action list is read again. */
  refreshIntervalMs: number;
}

function patterns(
  config: Config | undefined,
  key: string,
  fallback: readonly string[],
) {
  const values = config?.getOptionalStringArray(key) ?? fallback;
  for (const pattern of values) {
    if (!pattern.includes(':') && pattern !== '*' && pattern !== '**') {
      throw new InputError(
        `Config mcp.actions.${key} entry "${pattern}" must match action ids, which are "<pluginId>:<action-name>" (e.g. "catalog:*")`,
      );
    }
  }
  return values;
}

/** Whether an action id is served: it matches an include and no exclude. */
export function actionFilter(
  config: Pick<ActionsBridgeConfig, 'include' | 'exclude'>,
): (actionId: string) => boolean {
  const include = config.include.map(pattern => new Minimatch(pattern));
  const exclude = config.exclude.map(pattern => new Minimatch(pattern));
  return id =>
    include.some(p => p.match(id)) && !exclude.some(p => p.match(id));
}

/**
 * Reads `mcp.actions`. Bridging is on by default: a portal lists
 * `backend.actions.pluginSources` precisely to offer those plugins' actions
 * to agents, and every bridged call passes the same gate, budgets and audit
 * as the native tools. Without pluginSources there is nothing to bridge.
 */
export function readActionsBridgeConfig(
  rootConfig: Config,
): ActionsBridgeConfig {
  const config = rootConfig.getOptionalConfig('mcp.actions');
  return {
    enabled: config?.getOptionalBoolean('enabled') ?? true,
    pluginSources:
      rootConfig.getOptionalStringArray('backend.actions.pluginSources') ?? [],
    include: patterns(config, 'include', ['**']),
    exclude: patterns(config, 'exclude', NATIVELY_COVERED_ACTIONS),
    refreshIntervalMs:
      (config &&
        readOptionalDurationMs(
          config,
          'refreshInterval',
          'mcp.actions.refreshInterval',
          {
            minMs: 5_000,
            maxMs: 24 * 3_600_000,
            description: '5 seconds to 24 hours',
          },
        )) ??
      5 * 60_000,
  };
}

/**
 * The toolsets bridged actions fall into, known from config alone so that
 * `mcp.toolsets`, agent scopes and endpoints can name them at startup,
 * before any action list has been read.
 */
export function bridgedToolsetNames(config: ActionsBridgeConfig): string[] {
  return config.enabled ? config.pluginSources.map(actionToolsetName) : [];
}

/** The prefixes of bridged tool names (`notifications_`), known from config alone. */
export function bridgedToolNamePrefixes(config: ActionsBridgeConfig): string[] {
  return config.enabled ? config.pluginSources.map(actionToolNamePrefix) : [];
}
