import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { McpPrompt } from './prompts';
import { McpResourceTemplate } from './resources';
import { McpTool } from './tools';

/**
 * A toolset that a backend module adds to the MCP plugin: its tools, and the
 * resources and prompts built on them.
 *
 * @public
 */
export interface McpToolset {
  /**
   * Lowercase letters, digits and dashes, e.g. `quality`; distinct from the
   * plugin's own toolsets (`core`, `catalog`, `api`, `scaffolder`, `search`,
   * `techdocs`). It is what `mcp.toolsets`, agent scopes, named endpoints
   * and the `IS_IN_TOOLSET` permission rule name.
   */
  name: string;
  /**
   * Every tool's `toolset` is this toolset's name; names are snake_case,
   * prefixed with the toolset (`quality_check_entity`), unique in the server.
   */
  tools: McpTool[];
  /** Resource templates; each shares the permission of one of this server's tools. */
  resources?: McpResourceTemplate[];
  /** Prompts; each names the tools it is built on. */
  prompts?: McpPrompt[];
}

/**
 * The extension point through which backend modules add toolsets to the MCP
 * plugin. Tools added here are served, permission-checked (`mcp.tool.invoke`
 * and its rules), scoped, budgeted, cleaned, restricted and audited exactly
 * like the plugin's own.
 *
 * @public
 */
export interface McpToolsetsExtensionPoint {
  /** Adds a toolset; call it from a module's init, once per toolset. */
  addToolset(toolset: McpToolset): void;
}

/**
 * The extension point of the MCP plugin, see {@link McpToolsetsExtensionPoint}.
 *
 * @public
 */
export const mcpToolsetsExtensionPoint =
  createExtensionPoint<McpToolsetsExtensionPoint>({
    id: 'mcp.toolsets',
  });
