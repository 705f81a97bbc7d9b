/*
 * The demo portal: a real Backstage backend with the catalog, scaffolder,
 * TechDocs, search, guest sign-in and the permission framework, plus the MCP
 * plugin installed with one line, exactly as in any existing backend. It
 * serves the portal's frontend (packages/app, built) at its own origin.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-techdocs-backend'));
// Demo only: docs built at start, so that search finds them (see the file).
backend.add(import('./demoDocsPrebuild'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// Its actions (get-notifications) reach agents through MCP's actions bridge.
backend.add(import('@backstage/plugin-notifications-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./demoPermissionPolicy'));

backend.add(import('@backstage-mcp/plugin-mcp-backend'));
// The demo's own toolset, added through the MCP plugin's extension point.
backend.add(import('./catalogQuality'));
// Test only: the MCP conformance suite's fixtures (scripts/conformance.js).
if (process.env.MCP_CONFORMANCE === '1') {
  backend.add(import('./conformance'));
}

// Bench only: `npm run bench` sets MCP_BENCH_OFFICIAL_PLUGIN=1 to serve
// Backstage's own @backstage/plugin-mcp-actions-backend at /api/mcp-actions
// beside this plugin, so that both are measured in one process. It is a
// devDependency, never added by `yarn start` (the variable is unset there).
if (process.env.MCP_BENCH_OFFICIAL_PLUGIN === '1') {
  // eslint-disable-next-line @backstage/no-undeclared-imports
  backend.add(import('@backstage/plugin-mcp-actions-backend'));
}

backend.start();
