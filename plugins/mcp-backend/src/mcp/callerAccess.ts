import { McpRequestContext } from './requestContext';
import { ToolCatalog } from './toolCatalog';

/**
 * Which tools the caller may use, by name, for resources and prompts that
 * share their permission: decided with the same one round-trip as
 * tools/list. A tool this server does not serve counts as denied.
 */
export async function toolNameAccess(tools: ToolCatalog, context: McpRequestContext) {
  const access = await context.getToolAccess();
  const allowed = new Set(tools.tools.filter(t => access.allows(t)).map(t => t.tool.name));
  return {
    policyResult: access.result,
    mayUseTool: (name: string) => allowed.has(name),
  };
}
