import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { describeAgent } from '../governance/agentIdentity';
import { RequestGovernance } from '../governance/requestGovernance';

/** The governance of a caller that is neither blocked nor limited, for pipeline tests. */
export function unlimitedGovernance(
  credentials: BackstageCredentials,
  overrides: Partial<RequestGovernance> = {},
): RequestGovernance {
  return {
    agent: describeAgent(credentials, { headers: {} } as Request),
    takeCallBudget: async () => undefined,
    ...overrides,
  };
}
