import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import ExtensionIcon from '@material-ui/icons/Extension';
import { rootRouteRef } from './routes';

/** The page at /mcp, with its nav item ("MCP"). */
export const mcpPage = PageBlueprint.make({
  params: {
    path: '/mcp',
    title: 'MCP',
    icon: <ExtensionIcon />,
    routeRef: rootRouteRef,
    loader: () => import('./components/McpPage').then(m => <m.McpPage />),
  },
});

/**
 * The MCP plugin's page: how to connect an agent to this portal's MCP
 * endpoint, the tools the signed-in user may use, and, for holders of
 * `mcp.admin`, the kill switch's block list and the call budgets in force.
 *
 * @public
 */
export const mcpPlugin = createFrontendPlugin({
  pluginId: 'mcp',
  title: 'MCP',
  icon: <ExtensionIcon />,
  extensions: [mcpPage],
  routes: { root: rootRouteRef },
});
