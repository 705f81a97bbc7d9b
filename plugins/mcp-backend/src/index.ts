/**
 * A Backstage backend plugin that serves the Model Context Protocol at
 * `/api/mcp`, with every tool checked against the permission framework.
 *
 * @packageDocumentation
 */

export { mcpPlugin as default } from './plugin';
export {
  mcpToolConditions,
  createMcpToolConditionalDecision,
} from './permissions/conditions';
export { mcpToolRules } from './permissions/rules';
export type { McpToolFilter } from './permissions/resourceRef';
