import {
  AuthService,
  DiscoveryService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { MCP_TOOLSETS, McpToolsetName } from '@backstage-mcp/plugin-mcp-common';
import { McpConfig } from '../config';
import { apiTools } from './api';
import { catalogTools } from './catalog';
import { coreTools } from './core';
import { scaffolderTools, TemplateRunDependencies } from './scaffolder';
import { searchTools } from './search';
import { techdocsTools } from './techdocs';
import { McpTool } from './types';

/** The services tools are built with. */
export interface ToolDependencies {
  config: McpConfig;
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  userInfo: UserInfoService;
  templateRuns: TemplateRunDependencies;
  /** Finds other plugins, e.g. the search and TechDocs backends. */
  discovery: DiscoveryService;
  /** Mints the caller's tokens for other plugins. */
  auth: AuthService;
  /** The name and version this server reports to clients. */
  serverInfo: { name: string; version: string };
}

/** Every tool the plugin defines, served or not, toolsets in their declared order. */
export function createTools(deps: ToolDependencies): McpTool[] {
  const toolsets: Record<McpToolsetName, () => McpTool[]> = {
    core: () => coreTools(deps),
    catalog: () => catalogTools(deps),
    api: () => apiTools(deps),
    scaffolder: () => scaffolderTools(deps),
    search: () => searchTools(deps),
    techdocs: () => techdocsTools(deps),
  };
  return MCP_TOOLSETS.flatMap(name => toolsets[name]());
}

/**
 * Whether the configuration serves a tool: its toolset is enabled, and in
 * read-only mode it does not write. The one place where configuration
 * narrows the tool list (native, added and bridged tools alike); named
 * endpoints, the policy and agent scopes narrow it further per request.
 */
export function isServedTool(
  tool: McpTool,
  config: Pick<McpConfig, 'toolsets' | 'readOnly'>,
): boolean {
  return (
    config.toolsets.has(tool.toolset) &&
    (!config.readOnly || tool.annotations.readOnlyHint)
  );
}

/** The tools the configuration serves, in listing order, see {@link isServedTool}. */
export function servedTools(
  tools: readonly McpTool[],
  config: Pick<McpConfig, 'toolsets' | 'readOnly'>,
): McpTool[] {
  return tools.filter(tool => isServedTool(tool, config));
}
