import { createPermissionRule } from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { mcpToolResourceRef } from '../resourceRef';

/** Matches the tools of some toolsets. */
export const isInToolset = createPermissionRule({
  name: 'IS_IN_TOOLSET',
  description: 'Allow only the MCP tools of the given toolsets',
  resourceRef: mcpToolResourceRef,
  paramsSchema: z.object({
    toolsets: z
      .array(z.string())
      .describe('Toolset names, for example ["catalog", "api"]'),
  }),
  apply: (tool, { toolsets }) => toolsets.includes(tool.toolset),
  toQuery: ({ toolsets }) => ({
    property: 'toolset' as const,
    values: toolsets,
  }),
});
