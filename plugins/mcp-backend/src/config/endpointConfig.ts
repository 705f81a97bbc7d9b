import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { readToolsetList } from './agentConfig';

/** A named endpoint, served at `/api/mcp/<name>` with a subset of the tools. */
export interface EndpointScope {
  /** Toolsets served (`core` always); absent: every toolset the plugin serves. */
  toolsets?: ReadonlySet<string>;
  /** When true, only tools whose `readOnlyHint` is true are served. */
  readOnly: boolean;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
// Paths the plugin serves itself beside the endpoints.
const RESERVED_NAMES = ['secrets', 'admin', '.well-known'];

/** Reads `mcp.endpoints`, failing startup on invalid names or toolsets. */
export function readEndpoints(
  config: Config,
  knownToolsets: readonly string[],
): Map<string, EndpointScope> {
  const endpoints = new Map<string, EndpointScope>();
  const section = config.getOptionalConfig('endpoints');
  for (const name of section?.keys() ?? []) {
    if (RESERVED_NAMES.includes(name)) {
      throw new InputError(
        `Config mcp.endpoints.${name}: "${name}" is reserved (${RESERVED_NAMES.join(
          ', ',
        )}); choose another name`,
      );
    }
    if (!NAME_PATTERN.test(name)) {
      throw new InputError(
        `Config mcp.endpoints has "${name}": endpoint names are lowercase letters, digits and dashes (e.g. readonly, catalog-only)`,
      );
    }
    const endpoint = section!.getConfig(name);
    const toolsets = readToolsetList(
      endpoint,
      'toolsets',
      `mcp.endpoints.${name}.toolsets`,
      knownToolsets,
    );
    endpoints.set(name, {
      ...(toolsets ? { toolsets: new Set([...toolsets, 'core']) } : {}),
      readOnly: endpoint.getOptionalBoolean('readOnly') ?? false,
    });
  }
  return endpoints;
}
