// Modules import the configuration through this index, so that moving a reader
// between files here touches none of them.
export { readMcpConfig } from './mcpConfig';
export type { McpConfig } from './mcpConfig';
export type { AgentScope, AgentScopes } from './agentConfig';
export type { EndpointScope } from './endpointConfig';
