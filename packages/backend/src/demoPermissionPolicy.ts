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
import { mcpToolInvokePermission } from '@backstage-mcp/plugin-mcp-common';

/** The guest provider's user; anonymous visitors of the demo portal. */
export const GUEST_USER_REF = 'user:development/guest';

/** Entities with this label are hidden from guests (see examples/components.yaml). */
export const CONFIDENTIAL_LABEL = 'acme-retail.example/confidential';

/**
 * The demo portal's policy: guests may only use MCP tools that read, and may
 * not read confidential entities (nor, therefore, their TechDocs);
 * signed-in users may use every tool. Everything else is allowed, as in a
 * fresh Backstage app. Service principals (static tokens) never reach a
 * policy: their accessRestrictions in app-config.yaml decide for them.
 */
export class DemoPermissionPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const isGuest = user?.info.userEntityRef === GUEST_USER_REF;
    if (isPermission(request.permission, catalogEntityReadPermission) && isGuest) {
      return createCatalogConditionalDecision(request.permission, {
        not: catalogConditions.hasLabel({ label: CONFIDENTIAL_LABEL }),
      });
    }
    if (isPermission(request.permission, mcpToolInvokePermission)) {
      if (isGuest) {
        return createMcpToolConditionalDecision(
          request.permission,
          mcpToolConditions.isReadOnlyTool(),
        );
      }
      return { result: AuthorizeResult.ALLOW };
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
