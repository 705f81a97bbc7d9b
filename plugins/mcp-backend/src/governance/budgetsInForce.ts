import type { AgentScopes } from '../config/agentConfig';
import type { BudgetsInForce } from '../http/adminRouter';
import { mergeRateLimits, RateLimits } from '../config/rateLimitConfig';

/**
 * The budgets that apply, for administrators to read: the portal's, and the
 * effective budgets of each agent that has its own (an agent's own budgets
 * replace the portal's budget by budget, as the rate limiter applies them).
 */
export function budgetsInForce(
  portal: RateLimits,
  scopes: AgentScopes,
): BudgetsInForce {
  return {
    portal,
    agents: [...scopes.agents]
      .filter(([, scope]) => scope.rateLimits)
      .map(([subject, scope]) => ({
        subject,
        budgets: mergeRateLimits(portal, scope.rateLimits),
      }))
      .sort((a, b) => a.subject.localeCompare(b.subject)),
    ...(scopes.defaultAgent?.rateLimits
      ? {
          defaultAgent: mergeRateLimits(portal, scopes.defaultAgent.rateLimits),
        }
      : {}),
  };
}
