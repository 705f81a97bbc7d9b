import { describeBlock, describeRateLimit } from '../governance/refusals';
import { RateLimitRefusal } from '../governance/rateLimiter';
import { ToolDenialReason } from '../permissions/toolAccess';
import { McpRequestContext } from './requestContext';

/** Every reason a call, read or prompt is refused before it runs. */
export type GovernanceDenialReason = ToolDenialReason | 'rate-limited';

/** The audit outcome of each refusal. */
export const OUTCOME_BY_REASON: Record<GovernanceDenialReason, string> = {
  policy: 'denied',
  'agent-scope': 'denied',
  blocked: 'blocked',
  'rate-limited': 'rate-limited',
};

/**
 * What the caller is told when it may not do something (`use catalog_search`,
 * `read entity resources`): the reason, and what to do next.
 */
export function denialMessage(
  reason: GovernanceDenialReason,
  action: string,
  context: McpRequestContext,
  limited?: RateLimitRefusal,
): string {
  switch (reason) {
    case 'blocked':
      return describeBlock(context.governance.block!);
    case 'rate-limited':
      return describeRateLimit(limited!);
    case 'agent-scope':
      return `You may not ${action}: this agent's scope in the portal's configuration (mcp.agents) does not include it. Call tools/list to see the tools you may use, or ask the portal's administrators for access`;
    default:
      return `You may not ${action}: the permission policy or your token's access restrictions do not allow it. Call tools/list to see the tools you may use, or ask the portal's administrators for access`;
  }
}
