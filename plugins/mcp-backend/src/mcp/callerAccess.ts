import { ToolAccess } from '../permissions/toolAccess';
import { McpRequestContext } from './requestContext';
import { ToolInventory } from './toolInventory';

/**
 * Which tools the caller may use, by name, for resources and prompts that
 * share their permission. A tool this server does not serve counts as denied.
 */
export function toolNamesAllowed(
  tools: ToolInventory,
  access: ToolAccess,
): (name: string) => boolean {
  const allowed = new Set(
    tools.tools.filter(t => access.allows(t)).map(t => t.tool.name),
  );
  return name => allowed.has(name);
}

/**
 * {@link toolNamesAllowed} for the caller of a request: decided with the
 * same one round-trip as tools/list.
 */
export async function toolNameAccess(
  tools: ToolInventory,
  context: McpRequestContext,
) {
  return toolNamesAllowed(tools, await context.getToolAccess());
}
