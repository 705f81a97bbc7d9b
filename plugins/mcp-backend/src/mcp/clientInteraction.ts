import {
  CLIENT_CAPABILITIES_META_KEY,
  ClientCapabilities,
  ServerContext,
} from '@modelcontextprotocol/server';
import { McpClientInteraction } from '../tools/types';

function elicitationModes(capabilities: ClientCapabilities | undefined) {
  const elicitation = capabilities?.elicitation as
    | { form?: object; url?: object }
    | undefined;
  if (!elicitation) return { form: false, url: false };
  // An empty elicitation capability predates modes and means form only.
  const declaresModes =
    elicitation.form !== undefined || elicitation.url !== undefined;
  return {
    form: declaresModes ? elicitation.form !== undefined : true,
    url: elicitation.url !== undefined,
  };
}

/**
 * What the client of one tools/call request can do: elicitation modes,
 * sampling and roots from the capabilities it declared on the request
 * (2026-07-28 envelope), the answers of a previous input-required round, and progress notifications
 * when it sent a progress token.
 */
export function readClientInteraction(
  ctx: ServerContext,
): McpClientInteraction {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] as
    | ClientCapabilities
    | undefined;
  const progressToken = ctx.mcpReq._meta?.progressToken;
  const requestState = ctx.mcpReq.requestState();
  return {
    elicitation: elicitationModes(capabilities),
    sampling: capabilities?.sampling !== undefined,
    roots: capabilities?.roots !== undefined,
    inputResponses: ctx.mcpReq.inputResponses,
    requestState: typeof requestState === 'string' ? requestState : undefined,
    async reportProgress({ progress, total, message }) {
      if (progressToken === undefined) return;
      await ctx.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken, progress, total, message },
      });
    },
  };
}
