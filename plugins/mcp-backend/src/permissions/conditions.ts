import { createConditionExports } from '@backstage/plugin-permission-node';
import { MCP_TOOL_RESOURCE_TYPE } from '@backstage-mcp/plugin-mcp-common';
import { mcpToolRules } from './rules';

const exports = createConditionExports({
  pluginId: 'mcp',
  resourceType: MCP_TOOL_RESOURCE_TYPE,
  rules: mcpToolRules,
});

/**
 * Conditions for `mcp.tool.invoke`, for permission policies:
 * `isToolName({ names })`, `isInToolset({ toolsets })`, `isReadOnlyTool()`.
 *
 * @public
 */
export const mcpToolConditions = exports.conditions;

/**
 * Wraps `mcp-tool` conditions into a conditional policy decision.
 *
 * @example
 * ```ts
 * if (isPermission(request.permission, mcpToolInvokePermission)) {
 *   return createMcpToolConditionalDecision(
 *     request.permission,
 *     mcpToolConditions.isReadOnlyTool(),
 *   );
 * }
 * ```
 *
 * @public
 */
export const createMcpToolConditionalDecision =
  exports.createConditionalDecision;
