import { createBackendModule } from '@backstage/backend-plugin-api';
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
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  createMcpToolConditionalDecision,
  mcpToolConditions,
} from '@backstage-mcp/plugin-mcp-backend';
import {
  mcpTemplateRunPermission,
  mcpToolInvokePermission,
} from '@backstage-mcp/plugin-mcp-common';

/** The guest provider's user; anonymous visitors of the demo portal. */
export const GUEST_USER_REF = 'user:development/guest';

/** The label that hides an entity from guests, with its value. */
export const CONFIDENTIAL_LABEL = { label: 'acme.example.com/confidential', value: 'true' };

/** The tag that marks templates agents may run (see mcp.template.run below). */
export const AGENT_SAFE_TAG = 'agent-safe';

/**
 * The demo portal's policy: guests may only use MCP tools that read, plus
 * running and cancelling templates; signed-in users may use every tool.
 * Through MCP, users may run only templates tagged `agent-safe`. Guests may
 * not read entities labelled `acme.example.com/confidential: "true"`.
 * Everything else is allowed, as in a fresh Backstage app. Service
 * principals (static tokens) never reach a policy: their accessRestrictions
 * and `mcp.agents` in app-config.yaml decide for them.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (isPermission(request.permission, mcpToolInvokePermission)) {
      if (user?.info.userEntityRef === GUEST_USER_REF) {
        return createMcpToolConditionalDecision(request.permission, {
          anyOf: [
            mcpToolConditions.isReadOnlyTool(),
            mcpToolConditions.isToolName({ names: ['scaffolder_run_template', 'scaffolder_cancel_task'] }),
          ],
        });
      }
      return { result: AuthorizeResult.ALLOW };
    }
    if (isPermission(request.permission, mcpTemplateRunPermission)) {
      // The catalog evaluates this on the template entity.
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.hasMetadata({ key: 'tags', value: AGENT_SAFE_TAG }),
      );
    }
    if (
      isPermission(request.permission, catalogEntityReadPermission) &&
      user?.info.userEntityRef === GUEST_USER_REF
    ) {
      return createCatalogConditionalDecision(request.permission, {
        not: catalogConditions.hasLabel(CONFIDENTIAL_LABEL),
      });
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
