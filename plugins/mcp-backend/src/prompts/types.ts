export type {
  McpPrompt,
  McpPromptArgument,
  PromptContext,
} from '@backstage-mcp/plugin-mcp-node';
