import { McpClientInteraction } from '@backstage-mcp/plugin-mcp-node';
import {
  InputRequest,
  inputRequired,
  InputRequiredResult,
} from '@modelcontextprotocol/server';

/** Answers by request key: each an object, as the client sent it (untrusted). */
export type Answers = Record<string, Record<string, unknown>>;

/**
 * The answers to `requests` if the client gave every one of them on this
 * round, else an input-required result asking for those still missing.
 * An answer that is not an object is missing (SEP-2322: re-request rather
 * than fail). A client that did not declare the capability a request needs
 * is answered by the SDK with MissingRequiredClientCapabilityError (-32021),
 * as 2026-07-28 requires; a stateless 2025-era request declares none.
 */
export function gather(
  interaction: McpClientInteraction,
  requests: Record<string, InputRequest>,
  requestState?: string,
): { answers: Answers } | { ask: InputRequiredResult } {
  const given = interaction.inputResponses ?? {};
  const answers: Answers = {};
  const missing: Record<string, InputRequest> = {};
  for (const [key, request] of Object.entries(requests)) {
    const answer = given[key];
    if (answer && typeof answer === 'object' && !Array.isArray(answer))
      answers[key] = answer as Record<string, unknown>;
    else missing[key] = request;
  }
  if (Object.keys(missing).length === 0) return { answers };
  return {
    ask: inputRequired({
      inputRequests: missing,
      ...(requestState ? { requestState } : {}),
    }),
  };
}

/** The accepted content of an elicitation answer, or why there is none. */
export function elicited(
  answer: Record<string, unknown>,
): Record<string, unknown> | string {
  if (answer.action !== 'accept')
    return `the user chose ${String(answer.action)}`;
  const content = answer.content;
  return content && typeof content === 'object'
    ? (content as Record<string, unknown>)
    : {};
}

/** The text of a sampling answer. */
export function sampledText(answer: Record<string, unknown>): string {
  const content = answer.content as
    | { type?: string; text?: unknown }
    | undefined;
  return content?.type === 'text' && typeof content.text === 'string'
    ? content.text
    : '(no text)';
}

/** The root URIs of a roots/list answer. */
export function rootUris(answer: Record<string, unknown>): string[] {
  const roots = Array.isArray(answer.roots) ? answer.roots : [];
  return roots.map(root => String((root as { uri?: unknown })?.uri));
}
