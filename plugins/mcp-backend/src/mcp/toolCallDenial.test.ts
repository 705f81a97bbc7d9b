import { NO_REDACTION } from '../redaction/redactionConfig';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { z } from 'zod';
import { ToolDenialReason } from '../permissions/toolAccess';
import { McpTool } from '../tools/types';
import { createToolInvoker } from './invokeTool';
import { ToolCatalog } from './toolCatalog';

const handle = jest.fn(async () => ({ done: true }));
const TOOL = {
  name: 'catalog_refresh_entity',
  title: 'Refresh',
  description: 'Refreshes an entity.',
  toolset: 'catalog',
  inputSchema: z.object({}),
  outputSchema: z.object({ done: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  downstreamPermissions: [],
  handle,
} as unknown as McpTool;

function setup(reason: ToolDenialReason | undefined) {
  const events: Array<{ event: any; success: jest.Mock; fail: jest.Mock }> = [];
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockImplementation(async event => {
    const audit = { event, success: jest.fn(), fail: jest.fn() };
    events.push(audit);
    return audit;
  });
  const catalog = new ToolCatalog([TOOL]);
  const invoke = createToolInvoker({ catalog, logger: mockServices.logger.mock(), auditor, redaction: NO_REDACTION });
  const credentials = mockCredentials.service('scoped-agent');
  const run = () =>
    invoke(catalog.get(TOOL.name)!, {}, {
      credentials,
      downstreamCredentials: credentials,
      getToolAccess: async () => ({
        result: AuthorizeResult.ALLOW,
        allows: () => reason === undefined,
        denialReason: () => reason,
      }),
      httpRequest: {} as Request,
      interaction: {} as any,
    });
  return { events, run };
}

describe('the tool-call audit event', () => {
  beforeEach(() => handle.mockClear());

  it.each<[ToolDenialReason, RegExp]>([
    ['agent-scope', /this agent's scope in the portal's configuration \(mcp\.agents\)/],
    ['policy', /the permission policy or your token's access restrictions/],
  ])('names %s as the reason of a refusal, without calling the tool', async (reason, message) => {
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
      expect.objectContaining({ meta: expect.objectContaining({ outcome: 'denied' }) }),
    );
  });

  it('carries no reason when the call is allowed', async () => {
    const { events, run } = setup(undefined);
    const result = await run();
    expect(result).toMatchObject({ structuredContent: { done: true } });
    expect(handle).toHaveBeenCalledTimes(1);
    expect(events[0].event.meta.decision).toBe('allow');
    expect(events[0].event.meta).not.toHaveProperty('decisionReason');
  });
});
