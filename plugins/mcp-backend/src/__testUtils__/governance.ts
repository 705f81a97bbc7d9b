import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { principalOf } from '../governance/agentIdentity';
import { RequestGovernance } from '../governance/requestGovernance';

/** The governance of a caller that is neither blocked nor limited, for pipeline tests. */
export function unlimitedGovernance(
  credentials: BackstageCredentials,
  overrides: Partial<RequestGovernance> = {},
): RequestGovernance {
  return {
    agent: {
      principal: principalOf(credentials),
      principalType: (credentials.principal as { type: string }).type === 'user' ? 'user' : 'service',
    },
    takeCallBudget: async () => undefined,
    ...overrides,
  };
}
