import { McpToolsetName } from '@backstage-mcp/plugin-mcp-common';
import { EndpointScope } from '../config/endpointConfig';
import { ToolInventory } from './toolInventory';

/**
 * The tools a named endpoint serves: the plugin's tools narrowed to the
 * endpoint's toolsets and read-only setting. Resources and prompts follow,
 * since they are gated by the tools the endpoint serves.
 */
export function endpointTools(
  tools: ToolInventory,
  scope: EndpointScope,
): ToolInventory {
  return tools.subset(
    ({ tool }) =>
      (!scope.toolsets || scope.toolsets.has(tool.toolset as McpToolsetName)) &&
      (!scope.readOnly || tool.annotations.readOnlyHint),
  );
}
