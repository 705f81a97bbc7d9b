import { isInToolset } from './isInToolset';
import { isReadOnlyTool } from './isReadOnlyTool';
import { isToolName } from './isToolName';

/**
 * The permission rules of the `mcp-tool` resource type.
 *
 * @public
 */
export const mcpToolRules = { isToolName, isInToolset, isReadOnlyTool };
