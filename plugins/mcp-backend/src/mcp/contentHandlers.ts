import { Server } from '@modelcontextprotocol/server';
import { McpPrompt } from '../prompts/types';
import { RedactionConfig } from '../config/redactionConfig';
import { ResourceRegistry } from '../resources/resourceRegistry';
import { createCompletionHandler } from './completionHandler';
import { GovernedRunner } from './governedRunner';
import { createPromptHandlers } from './promptHandlers';
import { McpRequestContext, readClientInfo } from './requestContext';
import { createResourceHandlers } from './resourceHandlers';
import { ToolInventory } from './toolInventory';

/** The capabilities {@link createContentHandlers} serves. */
export const CONTENT_CAPABILITIES = {
  resources: {},
  prompts: {},
  completions: {},
};

/**
 * Registers resources, prompts and completion on a per-request server,
 * gated by the tools whose permissions they share; every method that reads
 * Backstage goes through the governed runner, as tool calls do.
 */
export function createContentHandlers(deps: {
  tools: ToolInventory;
  resources: ResourceRegistry;
  prompts: readonly McpPrompt[];
  runGoverned: GovernedRunner;
  redaction: RedactionConfig;
}) {
  const { tools, runGoverned, redaction } = deps;
  const resources = createResourceHandlers({
    tools,
    resources: deps.resources,
    runGoverned,
    redaction,
  });
  const prompts = createPromptHandlers({
    tools,
    prompts: deps.prompts,
    resources,
    runGoverned,
  });
  const complete = createCompletionHandler({
    tools,
    resources: deps.resources,
    prompts,
    runGoverned,
  });

  return function registerContentHandlers(
    server: Server,
    context: McpRequestContext,
  ) {
    // Governed requests name the client where the message carries it, and
    // end when the client cancels.
    const forRequest = (ctx: {
      mcpReq: { envelope?: unknown; signal: AbortSignal };
    }) => ({
      ...context,
      client: readClientInfo(ctx.mcpReq.envelope),
      signal: ctx.mcpReq.signal,
    });
    server.setRequestHandler('resources/templates/list', () =>
      resources.listTemplates(context),
    );
    server.setRequestHandler('resources/list', (request, ctx) =>
      resources.list(request.params?.cursor, forRequest(ctx)),
    );
    server.setRequestHandler('resources/read', (request, ctx) =>
      resources.read(request.params.uri, forRequest(ctx)),
    );
    server.setRequestHandler('prompts/list', () => prompts.list(context));
    server.setRequestHandler('prompts/get', (request, ctx) =>
      prompts.get(
        request.params.name,
        request.params.arguments,
        forRequest(ctx),
      ),
    );
    server.setRequestHandler('completion/complete', (request, ctx) =>
      complete(request.params, forRequest(ctx)),
    );
  };
}

/** Registers the content handlers on one server, see {@link createContentHandlers}. */
export type ContentHandlerRegistrar = ReturnType<typeof createContentHandlers>;
