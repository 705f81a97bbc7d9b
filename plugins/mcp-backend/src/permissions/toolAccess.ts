import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import { McpToolResource } from '@backstage-mcp/plugin-mcp-common';
import { AgentScopes } from '../config/agentConfig';
import { CallDeadlineError, withinDeadline } from '../mcp/deadline';
import { agentScopeAllows, agentScopeFor } from '../governance/agentScope';
import { createInvokeDecider, InvokeDecider } from './invokeDecisions';

/** What the gate needs to know about a tool. */
export interface GatedTool {
  resource: McpToolResource;
  downstreamPermissionNames: readonly string[];
  /** What the tool does downstream is not declared (bridged actions). */
  undeclaredDownstream?: boolean;
}

/**
 * Why a tool is refused: `blocked` when the caller is on the kill switch's
 * block list, `agent-scope` when the agent's configured scope (mcp.agents,
 * mcp.defaultAgent) leaves it out, `policy` when the permission policy or
 * the token's access restrictions deny it.
 */
export type ToolDenialReason = 'blocked' | 'agent-scope' | 'policy';

/** The caller's access to tools, decided once per request. */
export interface ToolAccess {
  /** The policy's answer to mcp.tool.invoke: ALLOW, DENY or CONDITIONAL. */
  result: AuthorizeResult;
  allows(tool: GatedTool): boolean;
  /** Why {@link ToolAccess.allows} refuses the tool; undefined when it allows it. */
  denialReason(tool: GatedTool): ToolDenialReason | undefined;
}

/**
 * Decides `mcp.tool.invoke` for a caller with one permission round-trip and
 * applies the (possibly conditional) answer to every tool locally, instead
 * of one authorization request per tool.
 *
 * Service principals are also held to their accessRestrictions on the
 * permissions the tools exercise downstream: Backstage forwards a service
 * caller's requests to other plugins under this plugin's identity, so those
 * plugins cannot apply the restrictions themselves. For a service principal
 * this decision is local to the permissions client (no round-trip). Users
 * are forwarded with their own identity and the downstream plugins decide.
 * Tools that do not declare their downstream permissions (bridged actions)
 * are therefore refused to tokens with accessRestrictions.
 *
 * Service principals are finally held to their configured agent scope,
 * which the policy cannot express because static-token agents all look
 * alike to it.
 */
export function createToolAccessDecider(options: {
  logger: LoggerService;
  permissions: PermissionsService;
  ruleset: PermissionRuleset<McpToolResource>;
  downstreamPermissions: Permission[];
  /** The agent scopes from config; absent: none. */
  agentScopes?: AgentScopes;
  /**
   * mcp.callTimeout: how long the decision may take. For users the
   * permission framework asks the sign-in service who they are, which reads
   * its database: a paused database would otherwise hold tools/list and
   * every call without a limit. Default: 30 s, mcp.callTimeout's default.
   */
  timeoutMs?: number;
  /**
   * The policy's answer to mcp.tool.invoke, shared by every endpoint so
   * that a user's decision is reused across them. Default: ask every time.
   */
  decideInvoke?: InvokeDecider;
}): (credentials: BackstageCredentials) => Promise<ToolAccess> {
  const { permissions, downstreamPermissions, timeoutMs = 30_000 } = options;
  const decideInvoke =
    options.decideInvoke ?? createInvokeDecider(permissions, { ttlMs: 0 });
  const applyDecision = createConditionAuthorizer(options.ruleset);

  return async credentials => {
    const principal = credentials.principal as {
      type?: string;
      accessRestrictions?: unknown;
    };
    const isService = principal.type === 'service';
    // Such a token's calls reach other plugins as this plugin, so only tools
    // that declare what they do downstream can be held to its restrictions.
    const restricted = isService && principal.accessRestrictions !== undefined;
    const [decision, downstream] = await withinDeadline(
      () =>
        Promise.all([
          decideInvoke(credentials),
          isService && downstreamPermissions.length
            ? permissions.authorize(
                downstreamPermissions.map(
                  permission => ({ permission } as AuthorizePermissionRequest),
                ),
                { credentials },
              )
            : undefined,
        ]),
      timeoutMs,
    ).catch(error => {
      // Listing methods pass this message on as their JSON-RPC error.
      throw error instanceof CallDeadlineError
        ? new CallDeadlineError(
            error.limitMs,
            `Could not decide within ${
              Math.round(error.limitMs / 100) / 10
            } s which tools you may use: the permission framework, or the sign-in service it asks about users, is slow or unavailable. Retry in a minute.`,
          )
        : error;
    });
    const deniedDownstream = new Set(
      downstream
        ?.map((answer, index) =>
          answer.result === AuthorizeResult.ALLOW
            ? undefined
            : downstreamPermissions[index].name,
        )
        .filter(Boolean),
    );
    const policyAllows = (tool: GatedTool) => {
      try {
        return applyDecision(decision, tool.resource);
      } catch (error) {
        // A conditional decision this plugin cannot evaluate (unknown rule,
        // bad parameters) denies, rather than failing the whole request.
        options.logger.warn(
          `Permission policy returned conditions for mcp.tool.invoke that cannot be applied to ${tool.resource.name}; denying. ${error}`,
        );
        return false;
      }
    };
    const scope =
      options.agentScopes && agentScopeFor(credentials, options.agentScopes);
    const denialReason = (tool: GatedTool): ToolDenialReason | undefined => {
      if (!agentScopeAllows(scope, tool.resource)) return 'agent-scope';
      const allowed =
        !(restricted && tool.undeclaredDownstream) &&
        policyAllows(tool) &&
        tool.downstreamPermissionNames.every(
          name => !deniedDownstream.has(name),
        );
      return allowed ? undefined : 'policy';
    };
    return {
      result: decision.result,
      allows: tool => denialReason(tool) === undefined,
      denialReason,
    };
  };
}

/**
 * The access of a blocked caller: no tool, decided without asking the
 * permission framework anything.
 */
export const BLOCKED_TOOL_ACCESS: ToolAccess = {
  result: AuthorizeResult.DENY,
  allows: () => false,
  denialReason: () => 'blocked',
};
