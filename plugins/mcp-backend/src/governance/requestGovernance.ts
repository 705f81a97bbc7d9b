import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { AgentScopes } from '../agentConfig';
import { agentScopeFor } from '../permissions/agentScope';
import { AgentIdentity, describeAgent } from './agentIdentity';
import { BlockEntry } from './blockList';
import { mergeRateLimits, RateLimits } from './rateLimitConfig';
import { RateLimiter, RateLimitRefusal } from './rateLimiter';

/** The governance of one authenticated request, see {@link createRequestGovernance}. */
export interface RequestGovernance {
  agent: AgentIdentity;
  /** The kill switch's block of this principal, when one is in force. */
  block?: BlockEntry;
  /**
   * Takes one call from the caller's rate-limit budgets (and from the write
   * budget when the call may change something). A refusal means nothing may
   * run.
   */
  takeCallBudget(writes: boolean): Promise<RateLimitRefusal | undefined>;
}

/**
 * Identity, kill switch and rate limits for each request: the block list is
 * read from memory and budgets from the cache only when a call needs one.
 * Users get the global budgets; service principals their agent's own
 * (`mcp.agents[].rateLimits`, else `mcp.defaultAgent.rateLimits`) in place
 * of the global ones, budget by budget.
 */
export function createRequestGovernance(deps: {
  blockList: { find(principal: string): BlockEntry | undefined };
  rateLimiter: RateLimiter;
  rateLimits: RateLimits;
  agentScopes: AgentScopes;
}) {
  const { blockList, rateLimiter, agentScopes } = deps;
  const limitsFor = (credentials: BackstageCredentials) =>
    mergeRateLimits(deps.rateLimits, agentScopeFor(credentials, agentScopes)?.rateLimits);

  return (credentials: BackstageCredentials, req: Request): RequestGovernance => {
    const agent = describeAgent(credentials, req);
    const block = blockList.find(agent.principal);
    return {
      agent,
      ...(block ? { block } : {}),
      takeCallBudget: writes => rateLimiter.take(agent.principal, limitsFor(credentials), writes),
    };
  };
}

/** Creates the {@link RequestGovernance} of a request. */
export type RequestGovernanceFactory = ReturnType<typeof createRequestGovernance>;
