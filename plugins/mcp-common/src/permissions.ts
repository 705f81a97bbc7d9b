import {
  BasicPermission,
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * The resource type of MCP tools in the permission framework.
 *
 * @remarks
 * Policies receive conditional decisions over this resource type; the rules
 * exported by `@backstage-mcp/plugin-mcp-backend` (`mcpToolConditions`) match
 * tools by name, toolset or read-only flag.
 *
 * @public
 */
export const MCP_TOOL_RESOURCE_TYPE = 'mcp-tool';

/**
 * Invoking (and listing) an MCP tool.
 *
 * @remarks
 * A resource permission over {@link MCP_TOOL_RESOURCE_TYPE}: a policy can
 * allow or deny it outright, or answer with conditions such as "read-only
 * tools only". `tools/list` shows a caller only the tools this permission
 * allows, and `tools/call` refuses the others before any service is called.
 *
 * @public
 */
export const mcpToolInvokePermission = createPermission({
  name: 'mcp.tool.invoke',
  attributes: {},
  resourceType: MCP_TOOL_RESOURCE_TYPE,
});

/**
 * Running a software template through MCP (`scaffolder_run_template`).
 *
 * @remarks
 * A resource permission over the catalog's `catalog-entity` resource type,
 * decided on the template entity, so that a policy can use the catalog's own
 * conditions (`catalogConditions` from `@backstage/plugin-catalog-backend/alpha`)
 * to allow agents only some templates, for example those tagged `agent-safe`.
 * It comes on top of the scaffolder's own `scaffolder.task.create`, which
 * still applies.
 *
 * @public
 */
export const mcpTemplateRunPermission = createPermission({
  name: 'mcp.template.run',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});

/**
 * Administering the MCP plugin at runtime: reading and changing the block
 * list of principals (the kill switch) under `/api/mcp/admin`.
 *
 * @remarks
 * A basic permission decided by the permission policy for users. Service
 * principals (static tokens) pass every permission their token is not
 * restricted from, so the plugin accepts a service principal as an
 * administrator only when its token's `accessRestrictions` name this
 * permission explicitly: an agent's unrestricted token never administers
 * the kill switch by accident.
 *
 * @public
 */
export const mcpAdminPermission = createPermission({
  name: 'mcp.admin',
  attributes: { action: 'update' },
});

/**
 * Cancelling or retrying, through MCP, a scaffolder task that the caller did
 * not start (`scaffolder_cancel_task`, `scaffolder_retry_task`).
 *
 * @remarks
 * Through MCP a caller acts on its own tasks only: a user on the tasks the
 * scaffolder records as created by them, a service principal on the tasks it
 * started through MCP. This permission grants more. It is a resource
 * permission over the scaffolder's `scaffolder-task` resource type, decided
 * on the task, so that a policy can allow it outright or with the
 * scaffolder's own conditions (`scaffolderTaskConditions.isTaskOwner` from
 * `@backstage/plugin-scaffolder-backend/alpha`, e.g. the tasks of one's
 * team). Like {@link mcpAdminPermission}, a service principal holds it only
 * when its token's `accessRestrictions` name it. The scaffolder's own
 * `scaffolder.task.cancel`, `scaffolder.task.create` and
 * `scaffolder.task.read` still apply on top.
 *
 * @public
 */
export const mcpTaskManageOthersPermission = createPermission({
  name: 'mcp.task.manage.others',
  attributes: { action: 'update' },
  resourceType: 'scaffolder-task',
});

/**
 * Every permission of the MCP plugin.
 *
 * @remarks
 * Typed explicitly so that the declared type, and the API report, do not
 * depend on the order in which the compiler meets the union's members.
 *
 * @public
 */
export const mcpPermissions: Array<
  | BasicPermission
  | ResourcePermission<'mcp-tool'>
  | ResourcePermission<'catalog-entity'>
  | ResourcePermission<'scaffolder-task'>
> = [
  mcpToolInvokePermission,
  mcpTemplateRunPermission,
  mcpAdminPermission,
  mcpTaskManageOthersPermission,
];
