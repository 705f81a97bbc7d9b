import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { mcpToolsetsExtensionPoint } from '@backstage-mcp/plugin-mcp-node';
import { createQualityCheckEntityTool } from './qualityCheckEntityTool';

/**
 * The demo's own MCP toolset, added through the MCP plugin's extension
 * point as any portal team would add one: catalog-hygiene checks against
 * the platform team's onboarding checklist.
 */
export default createBackendModule({
  pluginId: 'mcp',
  moduleId: 'catalog-quality',
  register(env) {
    env.registerInit({
      deps: { toolsets: mcpToolsetsExtensionPoint, catalog: catalogServiceRef },
      async init({ toolsets, catalog }) {
        toolsets.addToolset({
          name: 'quality',
          tools: [createQualityCheckEntityTool({ catalog })],
        });
      },
    });
  },
});
