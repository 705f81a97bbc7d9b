import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import path from 'node:path';
import { mcpPlugin } from '../plugin';

const FIXTURE = path.resolve(__dirname, '../__fixtures__/catalog.yaml');

type Feature = Parameters<typeof startTestBackend>[0]['features'] extends
  | Array<infer F>
  | undefined
  ? F
  : never;

/**
 * Boots a test backend with the MCP plugin and the real catalog backend
 * (SQLite in memory) loaded with the fixture catalog, and waits until the
 * catalog has stitched the fixture's relations.
 */
export async function startMcpTestBackend(
  options: {
    features?: Feature[];
    config?: Record<string, unknown>;
  } = {},
) {
  const backend = await startTestBackend({
    features: [
      mcpPlugin,
      catalogPlugin,
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            locations: [{ type: 'file', target: FIXTURE }],
            rules: [
              {
                allow: [
                  'Component',
                  'API',
                  'System',
                  'Domain',
                  'Resource',
                  'Group',
                  'User',
                  'Location',
                ],
              },
            ],
          },
          ...options.config,
        },
      }),
      ...(options.features ?? []),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}`;
  await waitForCatalog(baseUrl);
  return { backend, baseUrl, mcpUrl: `${baseUrl}/api/mcp` };
}

async function waitForCatalog(baseUrl: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/component/default/shop-frontend`,
      { headers: { Authorization: mockCredentials.service.header() } },
    );
    if (response.ok) {
      const entity = await response.json();
      const types = (entity.relations ?? []).map(
        (r: { type: string }) => r.type,
      );
      if (types.includes('ownedBy') && types.includes('dependsOn')) return;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error('The catalog did not ingest the fixture in time');
}
