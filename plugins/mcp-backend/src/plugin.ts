import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderServiceRef } from '@backstage/plugin-scaffolder-node';
import {
  MCP_TOOL_RESOURCE_TYPE,
  mcpPermissions,
} from '@backstage-mcp/plugin-mcp-common';
import { readMcpConfig } from './config';
import { createMcpRouter } from './http/createMcpRouter';
import { describeProtectedResource } from './http/protectedResource';
import { createServerFactory } from './mcp/createServerFactory';
import { createToolInvoker } from './mcp/invokeTool';
import { ToolCatalog } from './mcp/toolCatalog';
import { mcpToolResourceRef } from './permissions/resourceRef';
import { mcpToolRules } from './permissions/rules';
import { createToolAccessDecider } from './permissions/toolAccess';
import { createTools } from './tools';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

/**
 * The MCP backend plugin: serves the Model Context Protocol at `/api/mcp`,
 * with every tool call made with the caller's credentials and checked
 * against the `mcp.tool.invoke` permission.
 *
 * @public
 */
export const mcpPlugin = createBackendPlugin({
  pluginId: 'mcp',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        rootHttpRouter: coreServices.rootHttpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
        scaffolder: scaffolderServiceRef,
      },
      async init(deps) {
        const config = readMcpConfig(deps.rootConfig);
        const serverInfo = { name: 'backstage-mcp', version };

        deps.permissionsRegistry.addResourceType({
          resourceRef: mcpToolResourceRef,
          permissions: mcpPermissions,
          rules: Object.values(mcpToolRules),
        });

        const catalog = new ToolCatalog(
          createTools({
            config,
            catalog: deps.catalog,
            scaffolder: deps.scaffolder,
            userInfo: deps.userInfo,
            discovery: deps.discovery,
            auth: deps.auth,
            serverInfo,
          }),
        );

        const protectedResource = describeProtectedResource({
          mcpBaseUrl: await deps.discovery.getExternalBaseUrl('mcp'),
          authBaseUrl: await deps.discovery.getExternalBaseUrl('auth'),
        });
        const ownOrigins = ['backend.baseUrl', 'app.baseUrl']
          .map(key => deps.rootConfig.getOptionalString(key))
          .filter((url): url is string => Boolean(url));

        const router = createMcpRouter({
          httpAuth: deps.httpAuth,
          logger: deps.logger,
          serverFactory: createServerFactory({
            catalog,
            invokeTool: createToolInvoker({
              catalog,
              logger: deps.logger,
              auditor: deps.auditor,
            }),
            serverInfo,
          }),
          decideToolAccess: createToolAccessDecider({
            logger: deps.logger,
            permissions: deps.permissions,
            ruleset: deps.permissionsRegistry.getPermissionRuleset(mcpToolResourceRef),
            downstreamPermissions: catalog.downstreamPermissions(),
          }),
          protectedResource,
          allowedOrigins: [...ownOrigins, ...config.allowedOrigins],
          maxRequestBodyBytes: config.maxRequestBodyBytes,
        });

        // The plugin authenticates itself so that a missing token gets the
        // 401 with WWW-Authenticate that MCP clients need to start OAuth.
        deps.httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        deps.httpRouter.use(router);
        // RFC 9728 clients look for the metadata at the root of the host.
        deps.rootHttpRouter.use(
          new URL(protectedResource.metadataUrl).pathname,
          (_req, res) => {
            res.json(protectedResource.metadata);
          },
        );

        deps.logger.info(
          `MCP endpoint ${protectedResource.resource} serves ${catalog.tools.length} tools (${MCP_TOOL_RESOURCE_TYPE} permission: mcp.tool.invoke)`,
        );
      },
    });
  },
});
