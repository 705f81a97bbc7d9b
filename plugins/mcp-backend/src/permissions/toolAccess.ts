import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  McpToolResource,
  mcpToolInvokePermission,
} from '@backstage-mcp/plugin-mcp-common';

/** The caller's access to tools, decided once per request. */
export interface ToolAccess {
  /** The policy's answer: ALLOW, DENY or CONDITIONAL. */
  result: AuthorizeResult;
  allows(tool: McpToolResource): boolean;
}

/**
 * Decides `mcp.tool.invoke` for a caller with one permission round-trip and
 * applies the (possibly conditional) answer to every tool locally, instead
 * of one authorization request per tool.
 */
export function createToolAccessDecider(options: {
  permissions: PermissionsService;
  ruleset: PermissionRuleset<McpToolResource>;
}): (credentials: BackstageCredentials) => Promise<ToolAccess> {
  const applyDecision = createConditionAuthorizer(options.ruleset);
  return async credentials => {
    const [decision] = await options.permissions.authorizeConditional(
      [{ permission: mcpToolInvokePermission }],
      { credentials },
    );
    return {
      result: decision.result,
      allows: tool => applyDecision(decision, tool),
    };
  };
}
