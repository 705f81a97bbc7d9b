import { NotAllowedError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { describeBlock, describeRateLimit } from '../governance/refusals';
import {
  RateLimitRefusal,
  UncheckedBudgetCause,
} from '../governance/rateLimiter';
import { ToolDenialReason } from '../permissions/toolAccess';
import { McpRequestContext } from './requestContext';

/** Every reason a call, read or prompt is refused before it runs. */
export type GovernanceDenialReason = ToolDenialReason | 'rate-limited';

/** What governance decided for one call, read or prompt. */
export interface GovernanceDecision {
  /** Absent: the request may run. */
  reason?: GovernanceDenialReason;
  /** The spent budget, when the reason is `rate-limited`. */
  limited?: RateLimitRefusal;
  /** The request may run although its budgets could not be checked (fail open). */
  budgetUnchecked?: UncheckedBudgetCause;
}

/** The audit outcome of each refusal. */
const OUTCOME_BY_REASON: Record<GovernanceDenialReason, string> = {
  policy: 'denied',
  'agent-scope': 'denied',
  blocked: 'blocked',
  'rate-limited': 'rate-limited',
};

/**
 * The one order in which every tool call, resource read and prompt is
 * decided: the kill switch, then the permission decision and agent scope
 * (`permissionDenial`, already decided by the gate), then the rate limit.
 * Budgets are taken only by requests that would run, so refusals cost none.
 */
export async function decideGovernance(
  context: McpRequestContext,
  permissionDenial: ToolDenialReason | undefined,
  writes: boolean,
): Promise<GovernanceDecision> {
  if (context.governance.block) return { reason: 'blocked' };
  if (permissionDenial) return { reason: permissionDenial };
  const limited = await context.governance.takeCallBudget(writes);
  if (limited) return { reason: 'rate-limited', limited };
  const { budgetUnchecked } = context.governance;
  return budgetUnchecked ? { budgetUnchecked } : {};
}

/** What the audit event records of a decision, from its start. */
export function decisionAuditMeta({
  reason,
  limited,
  budgetUnchecked,
}: GovernanceDecision): JsonObject {
  return {
    decision: reason ? 'deny' : 'allow',
    ...(reason ? { decisionReason: reason } : {}),
    ...(limited
      ? {
          rateLimit: {
            budget: limited.budget,
            limit: limited.limit,
            windowMs: limited.windowMs,
            retryAfterMs: limited.retryAfterMs,
          },
        }
      : {}),
    ...(budgetUnchecked
      ? { rateLimit: { checked: false, cause: budgetUnchecked } }
      : {}),
  };
}

/**
 * The refusal of a decision that denies: the message the caller gets (the
 * reason, and what to do next), the error and the outcome for the audit
 * event. `action` is what was refused (`use catalog_search`); `policyMessage`
 * replaces the generic policy explanation where the caller knows better.
 */
export function refusalOf(
  decision: Required<Pick<GovernanceDecision, 'reason'>> & GovernanceDecision,
  action: string,
  context: McpRequestContext,
  policyMessage?: string,
) {
  const { reason, limited } = decision;
  const outcome = OUTCOME_BY_REASON[reason];
  if (reason === 'rate-limited') {
    // A spent budget is not a refusal of access: retrying later works.
    const message = describeRateLimit(limited!);
    return {
      message,
      error: Object.assign(new Error(message), { name: 'RateLimitedError' }),
      outcome,
    };
  }
  let explanation: string;
  if (reason === 'blocked')
    explanation = describeBlock(context.governance.block!);
  else if (reason === 'agent-scope')
    explanation = `You may not ${action}: this agent's scope in the portal's configuration (mcp.agents) does not include it. Call tools/list to see the tools you may use, or ask the portal's administrators for access`;
  else
    explanation =
      policyMessage ??
      `You may not ${action}: the permission policy or your token's access restrictions do not allow it. Call tools/list to see the tools you may use, or ask the portal's administrators for access`;
  return {
    message: `Not allowed: ${explanation}`,
    error: new NotAllowedError(explanation),
    outcome,
  };
}
