import { MCP_TOOLSETS } from '@backstage-mcp/plugin-mcp-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

import { RateLimits, readRateLimits } from './rateLimitConfig';

/**
 * What one agent (a service principal, named by its token's subject) may do
 * beyond what its token's accessRestrictions say. Every field is optional;
 * an absent field restricts nothing.
 */
export interface AgentScope {
  /**
   * Templates the agent may run: full template refs, or `tag:<tag>` for every
   * template with that tag. Absent: no restriction beyond the permissions.
   */
  templates?: readonly string[];
  /**
   * Toolsets whose tools the agent may use (`core` always included). With
   * {@link AgentScope.tools} as well, a tool passes if either names it.
   */
  toolsets?: ReadonlySet<string>;
  /** Tools the agent may use, by name. */
  tools?: ReadonlySet<string>;
  /** When true, the agent may only use tools whose `readOnlyHint` is true. */
  readOnly?: boolean;
  /** The agent's own call budgets, in place of `mcp.rateLimits` budget by budget. */
  rateLimits?: RateLimits;
  /**
   * Who may enter the secrets of the agent's template runs on the portal:
   * user and group refs. Unlike the other fields, absence restricts: a
   * service principal may not ask anyone for secrets unless this names who.
   */
  secretEntry?: { enteredBy: readonly string[] };
}

/** The agent scopes of `mcp.agents` and `mcp.defaultAgent`. */
export interface AgentScopes {
  /** Scopes of listed service principals, by token subject. */
  agents: ReadonlyMap<string, AgentScope>;
  /** The scope of every service principal not listed; absent: none. */
  defaultAgent?: AgentScope;
}

function templatePattern(pattern: string, path: string): string {
  if (pattern.startsWith('tag:')) {
    if (pattern.length > 4) return pattern;
  } else {
    try {
      return stringifyEntityRef(
        parseEntityRef(pattern, {
          defaultKind: 'template',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      // reported below
    }
  }
  throw new InputError(
    `Config ${path} has "${pattern}": use a template ref like template:default/nodejs-service, or tag:<tag>`,
  );
}

/**
 * Reads a list of toolset names, failing startup on unknown ones. Shared by
 * agent scopes and named endpoints.
 */
export function readToolsetList(
  config: Config,
  key: string,
  path: string,
  knownToolsets: readonly string[],
): ReadonlySet<string> | undefined {
  const names = config.getOptionalStringArray(key);
  if (!names) return undefined;
  const unknown = names.filter(name => !knownToolsets.includes(name));
  if (unknown.length) {
    throw new InputError(
      `Config ${path} names unknown toolsets: ${unknown.join(
        ', ',
      )}. Known toolsets: ${knownToolsets.join(', ')}`,
    );
  }
  return new Set(names);
}

function readEntrants(config: Config, path: string): string[] {
  return (config.getOptionalStringArray('secretEntry.enteredBy') ?? []).map(
    ref => {
      try {
        const parsed = parseEntityRef(ref, { defaultNamespace: 'default' });
        if (['user', 'group'].includes(parsed.kind.toLocaleLowerCase('en-US')))
          return stringifyEntityRef(parsed);
      } catch {
        // reported below
      }
      throw new InputError(
        `Config ${path}.secretEntry.enteredBy has "${ref}": name users or groups by entity ref, like user:default/jane or group:default/platform-team`,
      );
    },
  );
}

function readScope(
  config: Config,
  path: string,
  knownToolsets: readonly string[],
): AgentScope {
  const scope: AgentScope = {};
  const templates = config
    .getOptionalStringArray('templates')
    ?.map(pattern => templatePattern(pattern, `${path}.templates`));
  if (templates) scope.templates = templates;
  const toolsets = readToolsetList(
    config,
    'toolsets',
    `${path}.toolsets`,
    knownToolsets,
  );
  if (toolsets) scope.toolsets = toolsets;
  const tools = config.getOptionalStringArray('tools');
  if (tools) scope.tools = new Set(tools);
  const readOnly = config.getOptionalBoolean('readOnly');
  if (readOnly !== undefined) scope.readOnly = readOnly;
  const rateLimits = readRateLimits(config, path);
  if (rateLimits) scope.rateLimits = rateLimits;
  if (config.has('secretEntry'))
    scope.secretEntry = { enteredBy: readEntrants(config, path) };
  return scope;
}

/**
 * Reads `mcp.agents` and `mcp.defaultAgent`. Tool names are checked later,
 * against the tools the plugin defines (see {@link assertKnownToolNames}).
 */
export function readAgentScopes(
  config: Config,
  knownToolsets: readonly string[] = MCP_TOOLSETS,
): AgentScopes {
  const agents = new Map<string, AgentScope>();
  (config.getOptionalConfigArray('agents') ?? []).forEach((agent, index) => {
    const subject = agent.getString('subject');
    if (agents.has(subject)) {
      throw new InputError(
        `Config mcp.agents lists subject "${subject}" twice`,
      );
    }
    agents.set(
      subject,
      readScope(agent, `mcp.agents[${index}]`, knownToolsets),
    );
  });
  const defaultConfig = config.getOptionalConfig('defaultAgent');
  if (defaultConfig?.has('subject')) {
    throw new InputError(
      'Config mcp.defaultAgent applies to every agent not listed in mcp.agents and takes no subject',
    );
  }
  return defaultConfig
    ? {
        agents,
        defaultAgent: readScope(
          defaultConfig,
          'mcp.defaultAgent',
          knownToolsets,
        ),
      }
    : { agents };
}

/**
 * Fails startup when an agent scope names a tool the plugin does not
 * define: a typo would otherwise silently leave the agent without the tool.
 * Bridged actions are listed only after startup, so names with the prefix
 * of a bridged plugin (`notifications_`) pass.
 */
export function assertKnownToolNames(
  scopes: AgentScopes,
  knownToolNames: readonly string[],
  bridgedPrefixes: readonly string[] = [],
) {
  const known = new Set(knownToolNames);
  const isKnown = (name: string) =>
    known.has(name) || bridgedPrefixes.some(prefix => name.startsWith(prefix));
  const entries: Array<[string, AgentScope]> = [
    ...[...scopes.agents].map(([subject, scope]): [string, AgentScope] => [
      `mcp.agents (subject "${subject}")`,
      scope,
    ]),
    ...(scopes.defaultAgent
      ? [['mcp.defaultAgent', scopes.defaultAgent] as [string, AgentScope]]
      : []),
  ];
  for (const [where, scope] of entries) {
    const unknown = [...(scope.tools ?? [])].filter(name => !isKnown(name));
    if (unknown.length) {
      throw new InputError(
        `Config ${where} names unknown tools: ${unknown.join(
          ', ',
        )}. Known tools: ${[...known].sort().join(', ')}`,
      );
    }
  }
}
