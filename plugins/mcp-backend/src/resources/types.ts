export type {
  CompletionValues,
  ListedResource,
  McpResourceTemplate,
  ResourceBlob,
  ResourcePage,
  ResourceRequestContext,
  ResourceText,
} from '@backstage-mcp/plugin-mcp-node';
