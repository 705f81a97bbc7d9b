import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { createGovernedRunner, GovernedRunner } from '../mcp/governedRunner';
import { NO_REDACTION } from '../config/redactionConfig';
import { Request } from 'express';
import { describeCaller } from '../governance/callerIdentity';
import { RequestGovernance } from '../governance/requestGovernance';

/** The governance of a caller that is neither blocked nor limited, for pipeline tests. */
export function unlimitedGovernance(
  caller: BackstageCredentials,
  overrides: Partial<RequestGovernance> = {},
): RequestGovernance {
  return {
    identity: describeCaller(caller, { headers: {} } as Request),
    takeCallBudget: async () => undefined,
    ...overrides,
  };
}

/**
 * The governed runner with test doubles: no field restrictions unless
 * given, entity text read from nowhere, a 30 s call timeout.
 */
export function testGovernedRunner(
  deps: { auditor: AuditorService; logger: LoggerService } & Partial<
    Parameters<typeof createGovernedRunner>[0]
  >,
): GovernedRunner {
  return createGovernedRunner({
    redaction: NO_REDACTION,
    readEntityTextValues: async () => new Map(),
    callTimeoutMs: 30_000,
    observe: (_operation, _caller, run) =>
      run({ setAttribute: () => {}, setStatus: () => {} }),
    ...deps,
  });
}

/** An auditor whose events are collected, with their success and fail calls. */
export function collectingAuditor() {
  const events: Array<{ event: any; success: jest.Mock; fail: jest.Mock }> = [];
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockImplementation(async event => {
    const audit = { event, success: jest.fn(), fail: jest.fn() };
    events.push(audit);
    return audit;
  });
  return { auditor, events };
}

/**
 * A permissions service that answers `mcp.tool.invoke` with the given
 * conditions and allows everything else (the catalog's own checks pass).
 */
export function conditionalToolPermissions(
  conditions: PermissionCriteria<PermissionCondition<'mcp-tool'>>,
) {
  return mockServices.permissions.mock({
    authorize: async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    authorizeConditional: async requests =>
      requests.map(request =>
        request.permission.name === 'mcp.tool.invoke'
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'mcp',
              resourceType: 'mcp-tool',
              conditions,
            }
          : { result: AuthorizeResult.ALLOW },
      ),
  });
}
