import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsServiceRef,
  metricsServiceRef,
  tracingServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import Router from 'express-promise-router';
import { scaffolderServiceRef } from '@backstage/plugin-scaffolder-node';
import { mcpToolsetsExtensionPoint } from '@backstage-mcp/plugin-mcp-node';
import {
  MCP_TOOLSETS,
  MCP_TOOL_RESOURCE_TYPE,
  mcpAdminPermission,
  mcpTaskManageOthersPermission,
  mcpTemplateRunPermission,
  mcpToolInvokePermission,
} from '@backstage-mcp/plugin-mcp-common';
import { ActionsBridge } from './actions/actionsBridge';
import { bridgedToolNamePrefixes } from './config/actionsConfig';
import { assertKnownToolNames } from './config/agentConfig';
import { boundedCache } from './boundedCache';
import { CallerCatalog } from './downstream/callerCatalog';
import { readMcpConfig } from './config';
import { disabledMcpHandler } from './http/disabledRouter';
import { createAdminRouter } from './http/adminRouter';
import { createAuthorizationServerMetadata } from './http/authorizationServerMetadata';
import { createMcpRouter } from './http/createMcpRouter';
import { createOriginGuard } from './http/originGuard';
import { BlockList } from './governance/blockList';
import { budgetsInForce } from './governance/budgetsInForce';
import { createRateLimiter } from './governance/createRateLimiter';
import { createRequestGovernance } from './governance/requestGovernance';
import { createSecretEntryRouter } from './http/secretEntryRouter';
import { describeProtectedResource } from './http/protectedResource';
import { createContentHandlers } from './mcp/contentHandlers';
import { createServerFactory } from './mcp/createServerFactory';
import { endpointTools } from './mcp/endpointTools';
import { createGovernedRunner } from './mcp/governedRunner';
import { createRequestStateSeal } from './mcp/requestStateSeal';
import { createToolInvoker } from './mcp/invokeTool';
import { createEntityTextValueReader } from './redaction/entityTextValues';
import { createMcpTelemetry } from './observability/mcpTelemetry';
import { ToolInventory } from './mcp/toolInventory';
import { mcpToolResourceRef } from './permissions/resourceRef';
import { mcpToolRules } from './permissions/rules';
import { createInvokeDecider } from './permissions/invokeDecisions';
import { createToolAccessDecider } from './permissions/toolAccess';
import { createPrompts } from './prompts';
import { createResourceTemplates } from './resources';
import { ResourceRegistry } from './resources/resourceRegistry';
import { createTools, isServedTool, servedTools } from './tools';
import { ExtensionToolsets } from './extensions/extensionToolsets';
import { SecretCipher } from './tools/scaffolder/secretCipher';
import { createSecretEntrants } from './tools/scaffolder/secretEntrants';
import { resolveSecretEntryKey } from './tools/scaffolder/secretEntryKey';
import { SecretRequestStore } from './tools/scaffolder/secretRequests';
import { createTaskActionGate } from './tools/scaffolder/taskActionGate';
import { TaskStartRecord } from './tools/scaffolder/taskStarts';
import { createTemplateRunGate } from './governance/templateRunGate';

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
    const extensions = new ExtensionToolsets();
    env.registerExtensionPoint(mcpToolsetsExtensionPoint, extensions);
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        auditor: coreServices.auditor,
        cache: coreServices.cache,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        rootLifecycle: coreServices.rootLifecycle,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        rootHttpRouter: coreServices.rootHttpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        userInfo: coreServices.userInfo,
        scaffolder: scaffolderServiceRef,
        actions: actionsServiceRef,
        metrics: metricsServiceRef,
        tracing: tracingServiceRef,
      },
      async init(deps) {
        const config = readMcpConfig(deps.rootConfig, [
          ...MCP_TOOLSETS,
          ...extensions.names(),
        ]);
        const serverInfo = { name: 'backstage-mcp', version };

        deps.permissionsRegistry.addResourceType({
          resourceRef: mcpToolResourceRef,
          permissions: [mcpToolInvokePermission],
          rules: Object.values(mcpToolRules),
        });
        // mcp.template.run is decided on template entities with the catalog's
        // own rules, mcp.task.manage.others on tasks with the scaffolder's.
        deps.permissionsRegistry.addPermissions([
          mcpTemplateRunPermission,
          mcpAdminPermission,
          mcpTaskManageOthersPermission,
        ]);

        const mcpBaseUrl = await deps.discovery.getExternalBaseUrl('mcp');
        const secretKey = await resolveSecretEntryKey({
          configured: config.secretEntry.encryptionKey,
          database: deps.database,
          logger: deps.logger,
        });
        const requestStateSeal = createRequestStateSeal(secretKey.bytes());
        const secretRequests = new SecretRequestStore(
          boundedCache(deps.cache, { logger: deps.logger }),
          new SecretCipher(secretKey),
          deps.logger,
        );
        // Its table comes with the migrations BlockList.create applies below.
        const taskStarts = TaskStartRecord.fromDatabase(
          deps.database,
          deps.logger,
        );

        const decideInvoke = createInvokeDecider(deps.permissions, {
          ttlMs: config.toolPermissionTtlMs,
        });
        // Every caller's catalog reads, with their own credentials.
        const catalog = CallerCatalog.create(deps);
        const toolDependencies = {
          config,
          catalog,
          scaffolder: deps.scaffolder,
          userInfo: deps.userInfo,
          discovery: deps.discovery,
          auth: deps.auth,
          serverInfo,
          templateRuns: {
            assertMayRunTemplate: createTemplateRunGate({
              permissions: deps.permissions,
              agents: config.agents,
              defaultAgent: config.defaultAgent,
            }),
            assertMayActOnTask: createTaskActionGate({
              permissions: deps.permissions,
              taskStarts,
            }),
            taskStarts,
            secretRequests,
            secretEntrants: createSecretEntrants(config),
            secretEntryUrl: `${mcpBaseUrl}/secrets`,
          },
        };
        const definedTools = [
          ...createTools(toolDependencies),
          ...extensions.tools(),
        ];
        // Agent scopes may name any tool the plugin defines, served or not.
        assertKnownToolNames(
          config,
          definedTools.map(tool => tool.name),
          bridgedToolNamePrefixes(config.actions),
        );
        const actionsBridge = new ActionsBridge({
          actions: deps.actions,
          auth: deps.auth,
          logger: deps.logger,
          config: config.actions,
          takenNames: definedTools.map(tool => tool.name),
          served: tool => isServedTool(tool, config),
        });
        const inventory = ToolInventory.of(
          servedTools(definedTools, config),
        ).concat(actionsBridge.tools);

        // The plugin authenticates itself so that a missing token gets the
        // 401 with WWW-Authenticate that MCP clients need to start OAuth.
        deps.httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });

        const authBaseUrl = await deps.discovery.getExternalBaseUrl('auth');
        const protectedResource = (url: string) =>
          describeProtectedResource({ mcpBaseUrl: url, authBaseUrl });
        const mainMetadataPath = new URL(
          protectedResource(mcpBaseUrl).metadataUrl,
        ).pathname;

        if (!config.enabled) {
          // Config is still validated above, so that switching MCP back on
          // cannot fail on a mistake made while it was off.
          deps.httpRouter.use(disabledMcpHandler());
          deps.rootHttpRouter.use(mainMetadataPath, disabledMcpHandler());
          deps.logger.warn(
            'MCP is disabled (mcp.enabled: false): every MCP route answers 503',
          );
          return;
        }

        await actionsBridge.start({
          rootLifecycle: deps.rootLifecycle,
          scheduler: deps.scheduler,
        });

        const ownOrigins = ['backend.baseUrl', 'app.baseUrl']
          .map(key => deps.rootConfig.getOptionalString(key))
          .filter((url): url is string => Boolean(url));
        const allowedOrigins = [...ownOrigins, ...config.allowedOrigins];
        const blockList = await BlockList.create({
          database: deps.database,
          logger: deps.logger,
          scheduler: deps.scheduler,
          refreshIntervalMs: config.killSwitch.refreshIntervalMs,
        });
        const governRequest = createRequestGovernance({
          blockList,
          rateLimiter: await createRateLimiter({
            database: deps.database,
            scheduler: deps.scheduler,
            logger: deps.logger,
            rateLimits: config.rateLimits,
            agentScopes: config,
            storeTimeoutMs: config.rateLimitStore.timeoutMs,
          }),
          rateLimits: config.rateLimits,
          agentScopes: config,
        });
        const resources = new ResourceRegistry(
          [
            ...createResourceTemplates({
              catalog,
              discovery: deps.discovery,
              auth: deps.auth,
              config,
            }),
            ...extensions.resources(),
          ],
          // Pages as large as a list tool's largest: clients that do not
          // follow cursors (the AI SDK's, LangChain's) see only the first.
          config.results.maxPageSize,
        );
        const prompts = [
          ...createPrompts({ catalog }),
          ...extensions.prompts(),
        ];
        const runGoverned = createGovernedRunner({
          logger: deps.logger,
          auditor: deps.auditor,
          redaction: config.redaction,
          readEntityTextValues: createEntityTextValueReader(catalog),
          callTimeoutMs: config.callTimeoutMs,
          observe: createMcpTelemetry({
            metrics: deps.metrics,
            tracing: deps.tracing,
            captureArguments: config.telemetry.captureArguments,
          }),
        });

        // One stateless router per endpoint, all built here the same way:
        // a named endpoint differs only in its tools and its URL.
        const metadataByPath = new Map<string, Record<string, unknown>>();
        const serveEndpoint = (tools: ToolInventory, url: string) => {
          const resource = protectedResource(url);
          const router = createMcpRouter({
            httpAuth: deps.httpAuth,
            auth: deps.auth,
            logger: deps.logger,
            createServer: createServerFactory({
              tools,
              invokeTool: createToolInvoker({
                tools,
                runGoverned,
                maxResultChars: config.results.maxResultChars,
              }),
              serverInfo,
              requestStateSeal,
              registerContentHandlers: createContentHandlers({
                tools,
                resources,
                prompts,
                runGoverned,
                redaction: config.redaction,
              }),
            }),
            decideToolAccess: createToolAccessDecider({
              logger: deps.logger,
              permissions: deps.permissions,
              ruleset:
                deps.permissionsRegistry.getPermissionRuleset(
                  mcpToolResourceRef,
                ),
              downstreamPermissions: tools.downstreamPermissions(),
              agentScopes: config,
              timeoutMs: config.callTimeoutMs,
              decideInvoke,
            }),
            governRequest,
            protectedResource: resource,
            allowedOrigins,
            maxRequestBodyBytes: config.maxRequestBodyBytes,
            callTimeoutMs: config.callTimeoutMs,
          });
          metadataByPath.set(
            new URL(resource.metadataUrl).pathname,
            resource.metadata,
          );
          deps.logger.info(
            `MCP endpoint ${resource.resource} serves ${tools.tools.length} tools (${MCP_TOOL_RESOURCE_TYPE} permission: mcp.tool.invoke)`,
          );
          return router;
        };

        deps.httpRouter.use(
          Router()
            .use('/admin', createOriginGuard(allowedOrigins))
            .use(
              createAdminRouter({
                httpAuth: deps.httpAuth,
                permissions: deps.permissions,
                auditor: deps.auditor,
                logger: deps.logger,
                blockList,
                budgets: budgetsInForce(config.rateLimits, {
                  agents: config.agents,
                  defaultAgent: config.defaultAgent,
                }),
              }),
            ),
        );
        const endpoints = Router();
        for (const [name, scope] of config.endpoints) {
          endpoints.use(
            `/${name}`,
            serveEndpoint(
              endpointTools(inventory, scope),
              `${mcpBaseUrl}/${name}`,
            ),
          );
        }
        deps.httpRouter.use(endpoints);
        deps.httpRouter.use(serveEndpoint(inventory, mcpBaseUrl));
        deps.httpRouter.use(
          createSecretEntryRouter({
            secretRequests,
            auditor: deps.auditor,
            logger: deps.logger,
            httpAuth: deps.httpAuth,
            userInfo: deps.userInfo,
            ownOrigin: new URL(mcpBaseUrl).origin,
            signInUrl: config.portal.appBaseUrl,
          }),
        );
        // RFC 9728 clients look for the metadata at the root of the host. One
        // handler for every endpoint: the root router refuses nested paths.
        deps.rootHttpRouter.use(mainMetadataPath, (req, res, next) => {
          const metadata = metadataByPath.get(
            `${mainMetadataPath}${req.path === '/' ? '' : req.path}`,
          );
          if (metadata) res.json(metadata);
          else next();
        });
        const asMetadata = await createAuthorizationServerMetadata({
          discovery: deps.discovery,
          logger: deps.logger,
        });
        try {
          deps.rootHttpRouter.use(asMetadata.path, asMetadata.handler);
        } catch (error) {
          // Backstage's mcp-actions plugin serves the same document when it
          // is installed with OAuth enabled; one copy is enough.
          deps.logger.info(
            `Not serving ${asMetadata.path}, another plugin does: ${error}`,
          );
        }
      },
    });
  },
});
