import { createPermissionRule } from '@backstage/plugin-permission-node';
import { mcpToolResourceRef } from '../resourceRef';

/** Matches the tools that only read (their `readOnlyHint` is true). */
export const isReadOnlyTool = createPermissionRule({
  name: 'IS_READ_ONLY_TOOL',
  description: 'Allow only the MCP tools that do not change anything',
  resourceRef: mcpToolResourceRef,
  apply: tool => tool.readOnly,
  toQuery: () => ({ property: 'readOnly' as const, values: [true] }),
});
