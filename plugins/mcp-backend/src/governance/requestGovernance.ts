import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { AgentScopes } from '../config/agentConfig';
import { agentScopeFor } from './agentScope';
import { CallerIdentity, describeCaller } from './callerIdentity';
import { BlockEntry } from './blockList';
import { mergeRateLimits, RateLimits } from '../config/rateLimitConfig';
import {
  RateLimiter,
  RateLimitRefusal,
  UncheckedBudgetCause,
} from './rateLimiter';

/** The governance of one authenticated request, see {@link createRequestGovernance}. */
export interface RequestGovernance {
  /** Who is calling, as governance decisions and audit events name it. */
  identity: CallerIdentity;
  /** The kill switch's block of this principal, when one is in force. */
  block?: BlockEntry;
  /**
   * Takes one call from the caller's rate-limit budgets (and from the write
   * budget when the call may change something). A refusal means nothing may
   * run.
   */
  takeCallBudget(writes: boolean): Promise<RateLimitRefusal | undefined>;
  /**
   * Set by `takeCallBudget` when it let the call run without checking its
   * budgets, because the store could not be reached in time; for the audit.
   */
  budgetUnchecked?: UncheckedBudgetCause;
}

/**
 * Identity, kill switch and rate limits for each request: the block list is
 * read from memory and budgets from the database only when a call needs one.
 * Users get the global budgets; service principals their agent's own
 * (`mcp.agents[].rateLimits`, else `mcp.defaultAgent.rateLimits`) in place
 * of the global ones, budget by budget.
 */
export function createRequestGovernance(deps: {
  blockList: { find(principal: string): BlockEntry | undefined };
  rateLimiter: Pick<RateLimiter, 'take'>;
  rateLimits: RateLimits;
  agentScopes: AgentScopes;
}) {
  const { blockList, rateLimiter, agentScopes } = deps;
  const limitsFor = (caller: BackstageCredentials) =>
    mergeRateLimits(
      deps.rateLimits,
      agentScopeFor(caller, agentScopes)?.rateLimits,
    );

  return (caller: BackstageCredentials, req: Request): RequestGovernance => {
    const identity = describeCaller(caller, req);
    const block = blockList.find(identity.principal);
    const governance: RequestGovernance = {
      identity,
      ...(block ? { block } : {}),
      takeCallBudget: async writes => {
        const decision = await rateLimiter.take(
          identity.principal,
          limitsFor(caller),
          writes,
        );
        governance.budgetUnchecked = decision.unchecked;
        return decision.refusal;
      },
    };
    return governance;
  };
}

/** Creates the {@link RequestGovernance} of a request. */
export type RequestGovernanceFactory = ReturnType<
  typeof createRequestGovernance
>;
