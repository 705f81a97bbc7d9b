/**
 * What the permission framework knows about an MCP tool: the resource that
 * `mcp.tool.invoke` is decided on.
 *
 * @public
 */
export interface McpToolResource {
  /** The tool's public name, for example `catalog_get_entity`. */
  name: string;
  /** The toolset the tool belongs to, for example `catalog`. */
  toolset: string;
  /** True when the tool only reads (its `readOnlyHint` annotation). */
  readOnly: boolean;
}

/**
 * The toolsets served by the MCP plugin.
 *
 * @public
 */
export const MCP_TOOLSETS = [
  'core',
  'catalog',
  'api',
  'scaffolder',
  'search',
  'techdocs',
] as const;

/**
 * The name of a toolset served by the MCP plugin.
 *
 * @public
 */
export type McpToolsetName = (typeof MCP_TOOLSETS)[number];
