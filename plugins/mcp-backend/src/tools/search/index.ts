import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { McpConfig } from '../../config';
import { McpTool } from '../types';
import { createSearchTool } from './search';
import { createSearchClient } from './searchClient';

/** The search toolset: the portal's search engine, queried as the caller. */
export function searchTools(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
  config: McpConfig;
}): McpTool[] {
  const search = createSearchClient(deps);
  return [createSearchTool({ search, config: deps.config })];
}
