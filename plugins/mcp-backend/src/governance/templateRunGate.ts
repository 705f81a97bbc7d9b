import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mcpTemplateRunPermission } from '@backstage-mcp/plugin-mcp-common';
import { AgentScope } from '../config';
import { agentScopeFor } from './agentScope';

/** Whether a template matches an allowlist of refs and `tag:<tag>` entries. */
export function templateMatches(
  entity: Entity,
  ref: string,
  patterns: readonly string[],
) {
  const tags = entity.metadata.tags ?? [];
  return patterns.some(pattern =>
    pattern.startsWith('tag:')
      ? tags.includes(pattern.slice(4))
      : pattern === ref,
  );
}

/**
 * Decides whether a caller may run a template through MCP: the
 * `mcp.template.run` permission on the template entity (so policies use the
 * catalog's conditions), then, for static-token agents, which the policy
 * cannot tell apart, their configured template allowlist.
 */
export function createTemplateRunGate(deps: {
  permissions: PermissionsService;
  agents: ReadonlyMap<string, AgentScope>;
  /** The scope of agents not in `agents` (mcp.defaultAgent). */
  defaultAgent?: AgentScope;
}) {
  const { permissions } = deps;
  return async function assertMayRunTemplate(
    template: { entity: Entity; ref: string },
    caller: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await permissions.authorize(
      [{ permission: mcpTemplateRunPermission, resourceRef: template.ref }],
      // The gate decides for the caller, never for the plugin a restricted
      // static token's service calls are made as.
      { credentials: caller },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `The permission policy does not let you run ${template.ref} through MCP (permission mcp.template.run). Tell the user; they can run it in Backstage or ask the portal's administrators`,
      );
    }
    const allowlist = agentScopeFor(caller, deps)?.templates;
    if (
      allowlist &&
      !templateMatches(template.entity, template.ref, allowlist)
    ) {
      throw new NotAllowedError(
        `${
          template.ref
        } is not on this agent's template allowlist (mcp.agents or mcp.defaultAgent in app-config: ${
          allowlist.join(', ') || 'no template'
        })`,
      );
    }
  };
}

/** See {@link createTemplateRunGate}. */
export type TemplateRunGate = ReturnType<typeof createTemplateRunGate>;
