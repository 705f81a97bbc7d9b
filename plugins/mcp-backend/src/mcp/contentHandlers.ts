import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { ProtocolError, ProtocolErrorCode, Server } from '@modelcontextprotocol/server';
import { McpPrompt } from '../prompts/types';
import { ResourceRegistry } from '../resources/resourceRegistry';
import { createAuditedRequestRunner } from './auditedRequest';
import { createCompletionHandler } from './completionHandler';
import { createPromptHandlers } from './promptHandlers';
import { McpRequestContext, readClientInfo } from './requestContext';
import { createResourceHandlers } from './resourceHandlers';
import { ToolCatalog } from './toolCatalog';
import { RedactionConfig } from '../redaction/redactionConfig';

/** The capabilities {@link createContentHandlers} serves. */
export const CONTENT_CAPABILITIES = { resources: {}, prompts: {}, completions: {} };

/**
 * Registers resources, prompts and completion on a per-request server,
 * gated by the tools whose permissions they share and audited like tool
 * calls.
 */
export function createContentHandlers(deps: {
  tools: ToolCatalog;
  resources: ResourceRegistry;
  prompts: readonly McpPrompt[];
  logger: LoggerService;
  auditor: AuditorService;
  redaction: RedactionConfig;
}) {
  const { tools, logger, redaction } = deps;
  const runAudited = createAuditedRequestRunner(deps);
  const resources = createResourceHandlers({
    tools,
    resources: deps.resources,
    runAudited,
    logger,
    redaction,
  });
  const prompts = createPromptHandlers({ tools, prompts: deps.prompts, resources, runAudited });
  const complete = createCompletionHandler({ tools, resources: deps.resources, prompts });

  return function registerContentHandlers(server: Server, context: McpRequestContext) {
    // Audited requests name the client where the message carries it.
    const withClient = (ctx: { mcpReq: { envelope?: unknown } }): McpRequestContext => ({
      ...context,
      client: readClientInfo(ctx.mcpReq.envelope),
    });
    server.setRequestHandler('resources/templates/list', () => resources.listTemplates(context));
    server.setRequestHandler('resources/list', request => resources.list(request.params?.cursor, context));
    server.setRequestHandler('resources/read', (request, ctx) =>
      resources.read(request.params.uri, withClient(ctx)),
    );
    server.setRequestHandler('prompts/list', () => prompts.list(context));
    server.setRequestHandler('prompts/get', (request, ctx) =>
      prompts.get(request.params.name, request.params.arguments, withClient(ctx)),
    );
    server.setRequestHandler('completion/complete', async request => {
      try {
        return await complete(request.params, context);
      } catch (error) {
        if (isError(error) && error.name === 'InputError') {
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
        }
        logger.error('MCP completion failed', isError(error) ? error : new Error(String(error)));
        throw new ProtocolError(ProtocolErrorCode.InternalError, 'Completion failed unexpectedly; the error was logged for the portal\'s operators');
      }
    });
  };
}

/** Registers the content handlers on one server, see {@link createContentHandlers}. */
export type ContentHandlerRegistrar = ReturnType<typeof createContentHandlers>;
