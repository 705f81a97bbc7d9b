// Tools, resources and prompts share one definition shape with the modules
// that extend the plugin: it lives in the extension point's package.
export type {
  McpClientInteraction,
  McpTool,
  McpToolAnnotations,
  McpToolCallContext,
  RedactionAliases,
} from '@backstage-mcp/plugin-mcp-node';
export { createMcpTool as defineTool } from '@backstage-mcp/plugin-mcp-node';
