import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import {
  MCP_TOOL_RESOURCE_TYPE,
  McpToolResource,
} from '@backstage-mcp/plugin-mcp-common';

/**
 * A filter over tools, the query form of the `mcp-tool` rules. Tools are
 * never loaded from a data store, so this form only exists to satisfy the
 * permission framework's rule contract and to document what a rule matches.
 *
 * @public
 */
export type McpToolFilter = {
  property: keyof McpToolResource;
  values: Array<string | boolean>;
};

/** The `mcp-tool` resource, decided on by `mcp.tool.invoke`. */
export const mcpToolResourceRef = createPermissionResourceRef<
  McpToolResource,
  McpToolFilter
>().with({
  pluginId: 'mcp',
  resourceType: MCP_TOOL_RESOURCE_TYPE,
});
