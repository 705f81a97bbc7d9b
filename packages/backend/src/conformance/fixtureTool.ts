import { createMcpTool, McpTool } from '@backstage-mcp/plugin-mcp-node';
import { z } from 'zod';

/** The toolset the conformance fixtures are added as. */
export const CONFORMANCE_TOOLSET = 'conformance';

/**
 * A fixture tool of the MCP conformance suite: its name is the one the
 * suite calls, and it reads and writes nothing of the portal.
 */
export function fixtureTool<
  TInput extends z.ZodObject,
  TOutput extends z.ZodObject,
>(
  tool: Omit<
    McpTool<TInput, TOutput>,
    'toolset' | 'annotations' | 'downstreamPermissions' | 'title'
  > & {
    title?: string;
  },
): McpTool {
  return createMcpTool<TInput, TOutput>({
    title: tool.name,
    ...tool,
    toolset: CONFORMANCE_TOOLSET,
    annotations: {
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    downstreamPermissions: [],
  });
}

/** An output of one text. */
export const textOutput = z.object({ text: z.string() });

/** Renders a text output as one text block. */
export const renderText = ({ text }: { text: string }) => [
  { type: 'text' as const, text },
];
