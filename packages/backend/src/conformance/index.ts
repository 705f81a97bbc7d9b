import { createBackendModule } from '@backstage/backend-plugin-api';
import { mcpToolsetsExtensionPoint } from '@backstage-mcp/plugin-mcp-node';
import { createBehaviourTools } from './behaviourTools';
import { createClientRequestTools } from './clientRequestTools';
import { createContentTools } from './contentTools';
import { CONFORMANCE_TOOLSET } from './fixtureTool';
import { createInputRequiredTools } from './inputTools';
import { createConformancePrompts } from './prompts';
import { createConformanceResources } from './resources';

/**
 * Test only: the tools, resources and prompts that the official MCP
 * conformance suite's server scenarios call, added through the extension
 * point like any module's. The demo loads it only with MCP_CONFORMANCE=1
 * (scripts/conformance.js), never on a default start.
 */
export default createBackendModule({
  pluginId: 'mcp',
  moduleId: 'conformance-fixtures',
  register(env) {
    env.registerInit({
      deps: { toolsets: mcpToolsetsExtensionPoint },
      async init({ toolsets }) {
        toolsets.addToolset({
          name: CONFORMANCE_TOOLSET,
          tools: [
            ...createContentTools(),
            ...createBehaviourTools(),
            ...createInputRequiredTools(),
            ...createClientRequestTools(),
          ],
          resources: createConformanceResources(),
          prompts: createConformancePrompts(),
        });
      },
    });
  },
});
