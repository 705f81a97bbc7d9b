import {
  isInputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
} from '@modelcontextprotocol/server';
import { AllErasServer } from './allErasServer';
import { RequestStateSeal } from './requestStateSeal';
import { ToolInvoker } from './invokeTool';
import { McpRequestContext, readClientInfo } from './requestContext';
import { ToolInventory } from './toolInventory';
import { readClientInteraction } from './clientInteraction';
import {
  CONTENT_CAPABILITIES,
  ContentHandlerRegistrar,
} from './contentHandlers';

const INSTRUCTIONS = [
  'This server is the Backstage developer portal: its software catalog (services, APIs, systems, teams, people), API definitions and software templates.',
  'Calls run with your own identity and permissions; results only show what you may see.',
  'Start with catalog_search to find entity refs, then catalog_get_entity, catalog_get_owner or api_get_spec. To create something from a template: scaffolder_list_templates, scaffolder_get_template, scaffolder_validate_values, then scaffolder_run_template. whoami shows who you are and which tools you may use.',
  'Catalog entities are also resources (backstage://entity/{kind}/{namespace}/{name}), and prompts offer ready workflows (onboarding, incident triage, what you own, creating a service).',
].join(' ');

/** Builds the MCP server that answers one HTTP request, for its caller. */
export type McpServerForRequest = (context: McpRequestContext) => AllErasServer;

/**
 * The per-request MCP server. Stateless by design: a fresh low-level Server
 * per HTTP request (any replica can answer any request), serving tool
 * listings prepared at startup, so a request does no schema work.
 *
 * The low-level Server is used rather than McpServer because McpServer
 * re-derives JSON Schemas per instance, and because the error boundary and
 * the permission gate must decide what a call answers, not the SDK.
 */
export function createServerFactory(deps: {
  tools: ToolInventory;
  invokeTool: ToolInvoker;
  serverInfo: { name: string; version: string };
  /** Resources, prompts and completion, see createContentHandlers. */
  registerContentHandlers: ContentHandlerRegistrar;
  /** Seals the state of multi-round-trip tool calls, see createRequestStateSeal. */
  requestStateSeal: RequestStateSeal;
}): McpServerForRequest {
  const {
    tools,
    invokeTool,
    serverInfo,
    registerContentHandlers,
    requestStateSeal,
  } = deps;

  return context => {
    const { principal } = context.governance.identity;
    const server = new AllErasServer(serverInfo, {
      capabilities: { tools: {}, ...CONTENT_CAPABILITIES },
      instructions: INSTRUCTIONS,
      // A changed, stale or borrowed state is refused before any tool runs.
      requestState: {
        verify: state => requestStateSeal.verify(state, principal),
      },
    });

    server.setRequestHandler('tools/list', async () => {
      const access = await context.getToolAccess();
      return {
        tools: tools.tools.filter(t => access.allows(t)).map(t => t.listed),
      };
    });

    server.setRequestHandler('tools/call', async (request, ctx) => {
      const entry = tools.get(request.params.name);
      if (!entry) {
        throw new ProtocolError(
          ProtocolErrorCode.InvalidParams,
          `Unknown tool "${String(request.params.name).slice(
            0,
            100,
          )}". Call tools/list to see the tools you may use`,
        );
      }
      const result = await invokeTool(entry, request.params.arguments, {
        ...context,
        signal: ctx.mcpReq.signal,
        client: readClientInfo(ctx.mcpReq.envelope),
        interaction: readClientInteraction(ctx),
      });
      if (isInputRequiredResult(result)) {
        return result.requestState === undefined
          ? result
          : {
              ...result,
              requestState: await requestStateSeal.mint(
                result.requestState,
                principal,
              ),
            };
      }
      return server.projectCallToolResult(
        result,
        result.isError ? undefined : entry.listed.outputSchema,
      );
    });

    registerContentHandlers(server, context);
    return server;
  };
}
