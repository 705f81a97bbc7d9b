export type {
  CompletionValues,
  ListedResource,
  McpResourceTemplate,
  ResourcePage,
  ResourceRequestContext,
  ResourceText,
} from '@backstage-mcp/plugin-mcp-node';
