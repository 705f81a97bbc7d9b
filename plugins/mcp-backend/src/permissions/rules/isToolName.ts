import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { mcpToolResourceRef } from '../resourceRef';

/** Matches tools by their exact names. */
export const isToolName = createPermissionRule({
  name: 'IS_TOOL_NAME',
  description: 'Allow only the MCP tools with one of the given names',
  resourceRef: mcpToolResourceRef,
  paramsSchema: z.object({
    names: z
      .array(z.string())
      .describe(
        'Tool names, for example ["catalog_search", "catalog_get_entity"]',
      ),
  }),
  apply: (tool, { names }) => names.includes(tool.name),
  toQuery: ({ names }) => ({ property: 'name' as const, values: names }),
});
