import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { z } from 'zod';
import { ToolDenialReason } from '../permissions/toolAccess';
import { McpTool } from '../tools/types';
import {
  collectingAuditor,
  testGovernedRunner,
  unlimitedGovernance,
} from '../__testUtils__/governance';
import { RequestGovernance } from '../governance/requestGovernance';
import { McpClientInfo } from './requestContext';
import { createToolInvoker } from './invokeTool';
import { ToolInventory } from './toolInventory';

const handle = jest.fn(async () => ({ done: true }));
const TOOL = {
  name: 'catalog_refresh_entity',
  title: 'Refresh',
  description: 'Refreshes an entity.',
  toolset: 'catalog',
  inputSchema: z.object({}),
  outputSchema: z.object({ done: z.boolean() }),
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  downstreamPermissions: [],
  handle,
} as unknown as McpTool;

function setup(
  reason: ToolDenialReason | undefined,
  governance: Partial<RequestGovernance> = {},
  client?: McpClientInfo,
) {
  const { auditor, events } = collectingAuditor();
  const tools = ToolInventory.of([TOOL]);
  const invoke = createToolInvoker({
    tools,
    runGoverned: testGovernedRunner({
      auditor,
      logger: mockServices.logger.mock(),
    }),
    maxResultChars: 60_000,
  });
  const credentials = mockCredentials.service('scoped-agent');
  const run = () =>
    invoke(
      tools.get(TOOL.name)!,
      {},
      {
        caller: credentials,
        credentials,
        getToolAccess: async () => ({
          result: AuthorizeResult.ALLOW,
          allows: () => reason === undefined,
          denialReason: () => reason,
        }),
        httpRequest: {} as Request,
        governance: unlimitedGovernance(credentials, governance),
        ...(client ? { client } : {}),
        interaction: {} as any,
      },
    );
  return { events, run };
}

describe('the tool-call audit event', () => {
  beforeEach(() => handle.mockClear());

  it.each<[ToolDenialReason, RegExp]>([
    [
      'agent-scope',
      /this agent's scope in the portal's configuration \(mcp\.agents\)/,
    ],
    ['policy', /the permission policy or your token's access restrictions/],
  ])(
    'names %s as the reason of a refusal, without calling the tool',
    async (reason, message) => {
      const { events, run } = setup(reason);
      const result = await run();
      expect(result).toMatchObject({ isError: true });
      expect((result as any).content[0].text).toMatch(/^Not allowed: /);
      expect((result as any).content[0].text).toMatch(message);
      expect(handle).not.toHaveBeenCalled();
      expect(events).toHaveLength(1);
      expect(events[0].event).toMatchObject({
        eventId: 'tool-call',
        meta: { decision: 'deny', decisionReason: reason },
      });
      expect(events[0].fail).toHaveBeenCalledWith(
        expect.objectContaining({
          meta: expect.objectContaining({ outcome: 'denied' }),
        }),
      );
    },
  );

  it('carries no reason when the call is allowed', async () => {
    const { events, run } = setup(undefined);
    const result = await run();
    expect(result).toMatchObject({ structuredContent: { done: true } });
    expect(handle).toHaveBeenCalledTimes(1);
    expect(events[0].event.meta.decision).toBe('allow');
    expect(events[0].event.meta).not.toHaveProperty('decisionReason');
  });

  it('names the agent: principal, OAuth client and MCP client', async () => {
    const { events, run } = setup(
      undefined,
      {
        identity: {
          principal: 'scoped-agent',
          principalType: 'service',
          oauthClientId: 'cursor-1234',
        },
      },
      { name: 'cursor', version: '1.7.0' },
    );
    await run();
    expect(events[0].event.meta.agent).toEqual({
      principal: 'scoped-agent',
      principalType: 'service',
      oauthClientId: 'cursor-1234',
      client: { name: 'cursor', version: '1.7.0' },
    });
  });

  it("refuses a blocked caller with the administrators' reason, and audits it", async () => {
    const takeCallBudget = jest.fn(async () => undefined);
    const { events, run } = setup('blocked', {
      block: {
        principal: 'scoped-agent',
        reason: 'looping on refresh',
        blockedBy: 'user:default/admin',
        blockedAt: '2026-11-21T10:00:00.000Z',
        expiresAt: null,
      },
      takeCallBudget,
    });
    const result = (await run()) as any;
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(
      /^Not allowed: Your access to this portal's MCP server is suspended/,
    );
    expect(result.content[0].text).toContain(
      'Reason given: "looping on refresh"',
    );
    expect(handle).not.toHaveBeenCalled();
    expect(takeCallBudget).not.toHaveBeenCalled();
    expect(events[0].event).toMatchObject({
      severityLevel: 'medium',
      meta: {
        decision: 'deny',
        decisionReason: 'blocked',
        agent: { principal: 'scoped-agent' },
      },
    });
    expect(events[0].fail).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({ outcome: 'blocked' }),
      }),
    );
  });

  it('refuses a call over budget with when to retry, does nothing, and audits the limit', async () => {
    const takeCallBudget = jest.fn(async () => ({
      budget: 'writes' as const,
      limit: 5,
      windowMs: 60_000,
      retryAfterMs: 12_300,
    }));
    const { events, run } = setup(undefined, { takeCallBudget });
    const result = (await run()) as any;
    expect(takeCallBudget).toHaveBeenCalledWith(true);
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(
      /^Rate limit reached: at most 5 calls of tools that change something per 1 min for your identity \(mcp\.rateLimits\)\. Nothing was done\. Retry after 13 s \(at \d{4}-/,
    );
    expect(handle).not.toHaveBeenCalled();
    expect(events[0].event.meta).toMatchObject({
      decision: 'deny',
      decisionReason: 'rate-limited',
      rateLimit: {
        budget: 'writes',
        limit: 5,
        windowMs: 60_000,
        retryAfterMs: 12_300,
      },
    });
    expect(events[0].fail).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({ outcome: 'rate-limited' }),
      }),
    );
  });
});
