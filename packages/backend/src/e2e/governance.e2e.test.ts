import {
  connectMcpClient,
  PROTOCOL_ERAS,
  ProtocolEra,
} from '@backstage-mcp/test-utils';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';

const agentAuth = (token: string) => ({ Authorization: `Bearer ${token}` });
/** How the catalog audits a refresh it runs: absent, nothing reached it. */
const CATALOG_REFRESH_AUDIT =
  /entity-mutate[^\n]*refresh|refresh[^\n]*entity-mutate/;

const settle = () => new Promise(resolve => setTimeout(resolve, 300));

describe('governance of agents in the demo backend', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startDemoBackend();
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
  });

  describe.each(PROTOCOL_ERAS)('with a %s client', (era: ProtocolEra) => {
    it("lists only the scoped agent's tools: the catalog tools that read, and whoami", async () => {
      const scoped = await connectMcpClient(
        era,
        backend.mcpUrl,
        agentAuth(DEMO_TOKENS.scopedAgent),
      );
      const tools = await scoped.listTools();
      const names = tools.map(t => t.name);
      expect(names).toContain('catalog_get_entity');
      expect(names).toContain('whoami');
      expect(
        names.filter(n => n !== 'whoami' && !n.startsWith('catalog_')),
      ).toEqual([]);
      expect(names).not.toContain('catalog_refresh_entity');
      expect(tools.every(t => t.annotations?.readOnlyHint === true)).toBe(true);

      const read = await scoped.callTool('catalog_get_entity', {
        ref: 'checkout-service',
      });
      expect(read.isError).toBeFalsy();
      expect((read.structuredContent as any).entity.ref).toBe(
        'component:default/checkout-service',
      );
      await scoped.close();
    });

    it('refuses the scoped agent other tools, audits why and calls nothing downstream', async () => {
      const scoped = await connectMcpClient(
        era,
        backend.mcpUrl,
        agentAuth(DEMO_TOKENS.scopedAgent),
      );
      const logs = backend.logsSince();
      const write = await scoped.callTool('catalog_refresh_entity', {
        ref: 'checkout-service',
      });
      const otherToolset = await scoped.callTool('api_get_spec', {
        ref: 'payment-api',
      });
      for (const result of [write, otherToolset]) {
        expect(result.isError).toBe(true);
        expect(result.content[0].text).toMatch(/^Not allowed: .*mcp\.agents/);
      }
      await scoped.close();
      await settle();
      const printed = logs();
      // The audit event of each refusal names the agent scope as the reason.
      const denials = printed
        .split('\n')
        .filter(
          line =>
            /"decisionReason":"agent-scope"/.test(line) &&
            /"outcome":"denied"/.test(line),
        );
      expect(
        denials.map(line => /"tool":"([a-z_]+)"/.exec(line)?.[1]).sort(),
      ).toEqual(['api_get_spec', 'catalog_refresh_entity']);
      expect(printed).not.toMatch(CATALOG_REFRESH_AUDIT);
    });

    it('serves no write tool at /api/mcp/readonly, even to the unrestricted agent', async () => {
      const readonly = await connectMcpClient(
        era,
        `${backend.mcpUrl}/readonly`,
        agentAuth(DEMO_TOKENS.agent),
      );
      const tools = await readonly.listTools();
      expect(tools.map(t => t.name)).toEqual(
        expect.arrayContaining(['catalog_search', 'api_get_spec']),
      );
      expect(
        tools
          .filter(t => t.annotations?.readOnlyHint !== true)
          .map(t => t.name),
      ).toEqual([]);

      const logs = backend.logsSince();
      await expect(
        readonly.callTool('catalog_refresh_entity', {
          ref: 'checkout-service',
        }),
      ).rejects.toThrow(/Unknown tool/);
      await readonly.close();

      // The same agent refreshes at /api/mcp: the audit pattern above can match.
      const main = await connectMcpClient(
        era,
        backend.mcpUrl,
        agentAuth(DEMO_TOKENS.agent),
      );
      await settle();
      expect(logs()).not.toMatch(CATALOG_REFRESH_AUDIT);
      expect(
        (
          await main.callTool('catalog_refresh_entity', {
            ref: 'checkout-service',
          })
        ).isError,
      ).toBeFalsy();
      await main.close();
      await settle();
      expect(logs()).toMatch(CATALOG_REFRESH_AUDIT);
    });
  });

  it('answers an unknown endpoint with 404', async () => {
    const response = await fetch(`${backend.mcpUrl}/nope`, {
      method: 'POST',
      headers: {
        ...agentAuth(DEMO_TOKENS.agent),
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(response.status).toBe(404);
  });

  it('names /api/mcp/readonly as the protected resource of its endpoint', async () => {
    const response = await fetch(`${backend.mcpUrl}/readonly`, {
      method: 'POST',
    });
    expect(response.status).toBe(401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(
      response.headers.get('www-authenticate')!,
    )![1];
    expect((await (await fetch(metadataUrl)).json()).resource).toBe(
      `${backend.mcpUrl}/readonly`,
    );
  });

  describe('the kill switch', () => {
    const blocksUrl = () => `${backend.baseUrl}/api/mcp/admin/blocks`;
    const admin = (
      method: string,
      principal: string,
      body?: object,
      token = DEMO_TOKENS.admin,
    ) =>
      fetch(`${blocksUrl()}/${encodeURIComponent(principal)}`, {
        method,
        headers: { ...agentAuth(token), 'Content-Type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });

    it("lets only an administrator block: not the agents' unrestricted tokens, not the guest", async () => {
      const guest = await backend.guestToken();
      for (const token of [DEMO_TOKENS.agent, DEMO_TOKENS.scopedAgent, guest]) {
        const response = await admin(
          'PUT',
          'scoped-agent',
          { reason: 'test' },
          token,
        );
        expect(response.status).toBe(403);
        expect((await response.json()).error.message).toMatch(
          /not an MCP administrator|permission policy denies mcp\.admin/,
        );
      }
      const list = await fetch(blocksUrl(), {
        headers: agentAuth(DEMO_TOKENS.admin),
      });
      expect(await list.json()).toEqual({ items: [] });
    });

    it.each(PROTOCOL_ERAS)(
      'cuts a %s agent off at once, audits every refusal, and lets it back when lifted',
      async era => {
        const scoped = await connectMcpClient(
          era,
          backend.mcpUrl,
          agentAuth(DEMO_TOKENS.scopedAgent),
        );
        expect(
          (
            await scoped.callTool('catalog_get_entity', {
              ref: 'checkout-service',
            })
          ).isError,
        ).toBeFalsy();

        const logs = backend.logsSince();
        const blocked = await admin('PUT', 'scoped-agent', {
          reason: 'runaway loop in CI',
        });
        expect(blocked.status).toBe(200);
        expect(await blocked.json()).toMatchObject({
          principal: 'scoped-agent',
          blockedBy: 'ops-console',
          expiresAt: null,
        });

        // The same session, the very next call: refused, the tool not run.
        const refused = await scoped.callTool('catalog_get_entity', {
          ref: 'checkout-service',
        });
        expect(refused.isError).toBe(true);
        expect(refused.content[0].text).toMatch(
          /suspended by its administrators \(kill switch\).*Reason given: "runaway loop in CI"/,
        );
        expect(await scoped.listTools()).toEqual([]);
        await expect(
          scoped.readResource(
            'backstage://entity/component/default/checkout-service',
          ),
        ).rejects.toThrow(/suspended/);
        // Other agents are not affected.
        const other = await connectMcpClient(
          era,
          backend.mcpUrl,
          agentAuth(DEMO_TOKENS.agent),
        );
        expect(
          (
            await other.callTool('catalog_get_entity', {
              ref: 'checkout-service',
            })
          ).isError,
        ).toBeFalsy();

        await settle();
        const lines = logs().split('\n');
        expect(
          lines.filter(
            l =>
              /mcp-admin/.test(l) &&
              /"action":"block"/.test(l) &&
              /"principal":"scoped-agent"/.test(l),
          ).length,
        ).toBeGreaterThan(0);
        const refusals = lines.filter(
          l =>
            /"decisionReason":"blocked"/.test(l) &&
            /"outcome":"blocked"/.test(l),
        );
        expect(
          refusals.some(
            l =>
              /"tool":"catalog_get_entity"/.test(l) &&
              /"principal":"scoped-agent"/.test(l),
          ),
        ).toBe(true);
        expect(refusals.some(l => /resource-read/.test(l))).toBe(true);
        // Only the 2026 era names the client on every request.
        expect(refusals.some(l => /"client":\{"name":"[^"]+"/.test(l))).toBe(
          era === '2026-07-28',
        );

        expect((await admin('DELETE', 'scoped-agent')).status).toBe(204);
        expect(
          (
            await scoped.callTool('catalog_get_entity', {
              ref: 'checkout-service',
            })
          ).isError,
        ).toBeFalsy();
        await scoped.close();
        await other.close();
      },
    );

    it('blocks the guest named in any case, lifts it in any case, and refuses a group with 400', async () => {
      const guest = await connectMcpClient(
        '2026-07-28',
        backend.mcpUrl,
        agentAuth(await backend.guestToken()),
      );
      expect((await guest.listTools()).length).toBeGreaterThan(0);

      const blocked = await admin('PUT', 'User:Development/Guest', {
        reason: 'scraping',
      });
      expect(blocked.status).toBe(200);
      expect((await blocked.json()).principal).toBe('user:development/guest');
      expect(await guest.listTools()).toEqual([]);
      expect((await guest.callTool('whoami', {})).content[0].text).toMatch(
        /Reason given: "scraping"/,
      );

      const group = await admin('PUT', 'group:default/sre-team', {
        reason: 'x',
      });
      expect(group.status).toBe(400);
      expect((await group.json()).error.message).toMatch(
        /never calls MCP itself/,
      );

      expect((await admin('DELETE', 'USER:development/GUEST')).status).toBe(
        204,
      );
      expect((await guest.listTools()).length).toBeGreaterThan(0);
      await guest.close();
    });

    it('answers bad admin requests with actionable errors and keeps serving', async () => {
      const noReason = await admin('PUT', 'scoped-agent', {});
      expect(noReason.status).toBe(400);
      expect((await noReason.json()).error.message).toMatch(
        /^Send a JSON body \{ "reason"/,
      );
      const unknown = await admin('DELETE', 'nobody-blocked-this');
      expect(unknown.status).toBe(404);
      const self = await admin('PUT', 'ops-console', { reason: 'oops' });
      expect(self.status).toBe(400);
      const list = await fetch(blocksUrl(), {
        headers: agentAuth(DEMO_TOKENS.admin),
      });
      expect(await list.json()).toEqual({ items: [] });
    });
  });
});
