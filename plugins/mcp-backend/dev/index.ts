/*
 * A backend to develop the MCP plugin on: `yarn workspace
 * @backstage-mcp/plugin-mcp-backend start`, with the repository's
 * app-config.yaml. Only what the plugin's tools call into is installed;
 * the demo portal (packages/backend) is the full picture.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Guest sign-in, so that a user token can be had for MCP clients.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
// Without it the catalog rejects Template entities, which the scaffolder tools list.
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-scaffolder-backend'));

// Allow-all, so that every tool can be tried; the demo portal has a real policy.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

backend.add(import('../src'));

backend.start();
