import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createMcpToolConditionalDecision,
  mcpToolConditions,
} from '@backstage-mcp/plugin-mcp-backend';
import {
  mcpAdminPermission,
  mcpTaskManageOthersPermission,
  mcpTemplateRunPermission,
  mcpToolInvokePermission,
} from '@backstage-mcp/plugin-mcp-common';

/** The guest provider's user; anonymous visitors of the demo portal. */
export const GUEST_USER_REF = 'user:development/guest';

/** Members of this group administer MCP: the kill switch under /api/mcp/admin. */
export const MCP_ADMIN_GROUP = 'group:default/sre-team';

/** The tag that marks templates agents may run (see mcp.template.run below). */
export const AGENT_SAFE_TAG = 'agent-safe';

/**
 * Entities labelled `acme.example.com/confidential: "true"` are hidden from
 * guests (examples/ labels fraud-detection-service so), which shows that
 * every tool, search included, only returns what the caller may read.
 */
export const CONFIDENTIAL_LABEL = {
  label: 'acme.example.com/confidential',
  value: 'true',
};

/**
 * The demo portal's policy: guests may only use MCP tools that read, plus
 * running templates and cancelling their own tasks, and may not read
 * confidential entities; signed-in users may use every tool. Through MCP,
 * users may run only templates tagged `agent-safe`; only the SRE team
 * administers MCP's kill switch. Everything else is allowed, as in a fresh
 * Backstage app. Service principals (static tokens) never reach a policy:
 * their accessRestrictions and `mcp.agents` in app-config.yaml decide for them.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const isGuest = user?.info.userEntityRef === GUEST_USER_REF;
    if (
      isPermission(request.permission, catalogEntityReadPermission) &&
      isGuest
    ) {
      // Also hides their TechDocs, search hits and resources.
      return createCatalogConditionalDecision(request.permission, {
        not: catalogConditions.hasLabel(CONFIDENTIAL_LABEL),
      });
    }
    if (isPermission(request.permission, mcpToolInvokePermission)) {
      if (isGuest) {
        return createMcpToolConditionalDecision(request.permission, {
          anyOf: [
            mcpToolConditions.isReadOnlyTool(),
            mcpToolConditions.isToolName({
              names: ['scaffolder_run_template', 'scaffolder_cancel_task'],
            }),
          ],
        });
      }
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      isPermission(request.permission, mcpTaskManageOthersPermission) &&
      isGuest
    ) {
      // Every visitor signs in as the same guest, so "its own tasks" are
      // the tasks of all guests; other principals' tasks stay out of reach.
      return { result: AuthorizeResult.DENY };
    }
    if (isPermission(request.permission, mcpAdminPermission)) {
      // Static tokens never reach here: the plugin accepts one as an
      // administrator only if its accessRestrictions name mcp.admin.
      return {
        result: user?.info.ownershipEntityRefs.includes(MCP_ADMIN_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (isPermission(request.permission, mcpTemplateRunPermission)) {
      // The catalog evaluates this on the template entity.
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.hasMetadata({ key: 'tags', value: AGENT_SAFE_TAG }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
