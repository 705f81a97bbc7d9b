import {
  BackstageCredentials,
  BackstageServicePrincipal,
} from '@backstage/backend-plugin-api';
import { Permission } from '@backstage/plugin-permission-common';

/**
 * Whether credentials are a service principal whose token names a permission
 * in its `accessRestrictions`. Service principals pass every permission they
 * are not restricted from, so for the rights an agent must never hold by
 * accident (administering MCP, acting on others' tasks) an unrestricted
 * token is not enough: its restrictions must name the permission.
 */
export function tokenNamesPermission(
  credentials: BackstageCredentials,
  permission: Permission,
): boolean {
  const principal = credentials.principal as Partial<BackstageServicePrincipal>;
  return (
    principal.type === 'service' &&
    principal.accessRestrictions?.permissionNames?.includes(permission.name) ===
      true
  );
}
