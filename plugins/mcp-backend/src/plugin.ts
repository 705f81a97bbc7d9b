import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderServiceRef } from '@backstage/plugin-scaffolder-node';
import {
  MCP_TOOL_RESOURCE_TYPE,
  mcpTemplateRunPermission,
  mcpToolInvokePermission,
} from '@backstage-mcp/plugin-mcp-common';
import { readMcpConfig } from './config';
import { createMcpRouter } from './http/createMcpRouter';
import { createSecretEntryRouter } from './http/secretEntryRouter';
import { describeProtectedResource } from './http/protectedResource';
import { createContentHandlers } from './mcp/contentHandlers';
import { createServerFactory } from './mcp/createServerFactory';
import { createToolInvoker } from './mcp/invokeTool';
import { ToolCatalog } from './mcp/toolCatalog';
import { mcpToolResourceRef } from './permissions/resourceRef';
import { mcpToolRules } from './permissions/rules';
import { createToolAccessDecider } from './permissions/toolAccess';
import { createPrompts } from './prompts';
import { createResourceTemplates } from './resources';
import { ResourceRegistry } from './resources/resourceRegistry';
import { createTools } from './tools';
import { SecretRequestStore } from './tools/scaffolder/secretRequests';
import { createTemplateRunGate } from './tools/scaffolder/templateRunGate';

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
        cache: coreServices.cache,
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
          permissions: [mcpToolInvokePermission],
          rules: Object.values(mcpToolRules),
        });
        // Decided on template entities with the catalog's own rules.
        deps.permissionsRegistry.addPermissions([mcpTemplateRunPermission]);

        const mcpBaseUrl = await deps.discovery.getExternalBaseUrl('mcp');
        const secretRequests = new SecretRequestStore(deps.cache);

        const catalog = new ToolCatalog(
          createTools({
            config,
            catalog: deps.catalog,
            scaffolder: deps.scaffolder,
            userInfo: deps.userInfo,
            discovery: deps.discovery,
            auth: deps.auth,
            serverInfo,
            templateRuns: {
              assertMayRunTemplate: createTemplateRunGate({
                permissions: deps.permissions,
                agents: config.agents,
              }),
              secretRequests,
              secretEntryUrl: id => `${mcpBaseUrl}/secrets/${id}`,
            },
          }),
        );

        const protectedResource = describeProtectedResource({
          mcpBaseUrl,
          authBaseUrl: await deps.discovery.getExternalBaseUrl('auth'),
        });
        const ownOrigins = ['backend.baseUrl', 'app.baseUrl']
          .map(key => deps.rootConfig.getOptionalString(key))
          .filter((url): url is string => Boolean(url));

        const router = createMcpRouter({
          httpAuth: deps.httpAuth,
          auth: deps.auth,
          logger: deps.logger,
          serverFactory: createServerFactory({
            catalog,
            invokeTool: createToolInvoker({
              catalog,
              logger: deps.logger,
              auditor: deps.auditor,
              redaction: config.redaction,
            }),
            serverInfo,
            registerContentHandlers: createContentHandlers({
              tools: catalog,
              resources: new ResourceRegistry(
                createResourceTemplates({
                  catalog: deps.catalog,
                  discovery: deps.discovery,
                  auth: deps.auth,
                  config,
                }),
                config.results.defaultPageSize,
              ),
              prompts: createPrompts({ catalog: deps.catalog }),
              logger: deps.logger,
              auditor: deps.auditor,
              redaction: config.redaction,
            }),
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
        deps.httpRouter.use(createSecretEntryRouter({ secretRequests, auditor: deps.auditor }));
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
