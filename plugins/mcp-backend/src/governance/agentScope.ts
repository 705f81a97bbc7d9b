import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  McpToolResource,
  McpToolsetName,
} from '@backstage-mcp/plugin-mcp-common';
import { AgentScope, AgentScopes } from '../config/agentConfig';

/**
 * The configured scope of a caller: its `mcp.agents` entry, else
 * `mcp.defaultAgent`, for service principals only. Users are governed by the
 * permission policy alone, which sees who they are; static-token agents all
 * look alike to the policy, hence this configuration.
 */
export function agentScopeFor(
  caller: BackstageCredentials,
  scopes: AgentScopes,
): AgentScope | undefined {
  const principal = caller.principal as {
    type?: string;
    subject?: string;
  };
  if (principal.type !== 'service') return undefined;
  const listed =
    principal.subject !== undefined
      ? scopes.agents.get(principal.subject)
      : undefined;
  return listed ?? scopes.defaultAgent;
}

/**
 * Whether a scope lets its agent use a tool. `core` (whoami) always passes,
 * as it does for the plugin's own toolset selection: an agent may always
 * learn who it is and what it may use.
 */
export function agentScopeAllows(
  scope: AgentScope | undefined,
  tool: McpToolResource,
): boolean {
  if (!scope) return true;
  if (scope.readOnly && !tool.readOnly) return false;
  if (!scope.toolsets && !scope.tools) return true;
  return (
    tool.toolset === 'core' ||
    Boolean(scope.toolsets?.has(tool.toolset as McpToolsetName)) ||
    Boolean(scope.tools?.has(tool.name))
  );
}
