import {
  connectMcpClient,
  PROTOCOL_ERAS,
  ProtocolEra,
} from '@backstage-mcp/test-utils';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const settle = () => new Promise(resolve => setTimeout(resolve, 300));

/**
 * The actions bridge in the demo portal: the actions that the catalog,
 * scaffolder, auth, search and notifications plugins register, served as
 * MCP tools. Booted with `mcp.actions.exclude: []`, so that the actions the
 * native tools cover are bridged too and can be compared with them.
 */
describe('actions of the demo portal, served as tools', () => {
  let backend: DemoBackend;
  let guest: Record<string, string>;
  const title = `Deploy of checkout-service failed ${Date.now()}`;

  beforeAll(async () => {
    backend = await startDemoBackend({
      env: { APP_CONFIG_mcp_actions_exclude: '[]' },
    });
    guest = bearer(await backend.guestToken());
    // A notification for the guest, sent as a service would send one.
    const sent = await fetch(
      `${backend.baseUrl}/api/notifications/notifications`,
      {
        method: 'POST',
        headers: {
          ...bearer(DEMO_TOKENS.agent),
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          recipients: { type: 'entity', entityRef: 'user:development/guest' },
          payload: {
            title,
            description: 'The canary failed its health checks.',
            severity: 'high',
            topic: 'deployments',
          },
        }),
      },
    );
    if (!sent.ok)
      throw new Error(
        `Could not send the guest a notification: ${
          sent.status
        } ${await sent.text()}`,
      );
    // The action list is read once every plugin has started.
    const client = await connectMcpClient(
      '2026-07-28',
      backend.mcpUrl,
      bearer(DEMO_TOKENS.agent),
    );
    for (
      let tries = 0;
      !(await client.listTools()).some(
        t => t.name === 'notifications_get_notifications',
      );
      tries++
    ) {
      if (tries > 150)
        throw new Error(
          `The bridged actions never appeared:\n${backend
            .output()
            .slice(-3000)}`,
        );
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    await client.close();
  }, 240_000);
  afterAll(async () => {
    await backend?.stop();
  });

  describe.each(PROTOCOL_ERAS)('with a %s client', (era: ProtocolEra) => {
    it("reads the guest's own notifications through the notifications plugin's action", async () => {
      const client = await connectMcpClient(era, backend.mcpUrl, guest);
      const logs = backend.logsSince();
      const result = await client.callTool('notifications_get_notifications', {
        view: 'all',
        search: 'checkout-service',
      });
      expect(result.isError).toBeFalsy();
      const { notifications, totalCount } = result.structuredContent as any;
      expect(totalCount).toBeGreaterThanOrEqual(1);
      expect(notifications.map((n: any) => n.payload.title)).toContain(title);
      await client.close();
      await settle();
      const audit = logs()
        .split('\n')
        .find(
          line =>
            /tool-call/.test(line) &&
            /"tool":"notifications_get_notifications"/.test(line),
        );
      expect(audit).toMatch(/"principal":"user:development\/guest"/);
      expect(audit).toMatch(/"toolset":"notifications-actions"/);
    });

    it("serves the bridged catalog, scaffolder and auth actions with the caller's identity, passing their errors on", async () => {
      const client = await connectMcpClient(era, backend.mcpUrl, guest);
      // The auth plugin's who-am-i reads the caller's User entity, which the
      // demo's guest does not have: its own error reaches the agent as is.
      const whoAmI = await client.callTool('auth_who_am_i', {});
      expect(whoAmI).toMatchObject({
        isError: true,
        content: [
          {
            text: 'Not found: User entity not found in the catalog for "user:development/guest"',
          },
        ],
      });

      const entity = await client.callTool('catalog_get_catalog_entity', {
        name: 'checkout-service',
        kind: 'Component',
      });
      expect(entity.isError).toBeFalsy();
      expect(JSON.stringify(entity.structuredContent)).toContain(
        'checkout-service',
      );

      const actions = await client.callTool(
        'scaffolder_list_scaffolder_actions',
        {},
      );
      expect(actions.isError).toBeFalsy();
      expect(JSON.stringify(actions.structuredContent)).toContain(
        'fetch:template',
      );
      await client.close();
    });

    it('denies the guest what the demo policy denies (actions that write), without calling them', async () => {
      const client = await connectMcpClient(era, backend.mcpUrl, guest);
      const names = (await client.listTools()).map(t => t.name);
      expect(names).toContain('notifications_get_notifications');
      expect(names).not.toContain('catalog_unregister_entity');
      const logs = backend.logsSince();
      const refused = await client.callTool('catalog_unregister_entity', {
        locationId: 'x',
      });
      expect(refused).toMatchObject({
        isError: true,
        content: [{ text: expect.stringMatching(/^Not allowed/) }],
      });
      await client.close();
      await settle();
      const printed = logs();
      expect(printed).toMatch(
        /"tool":"catalog_unregister_entity"[^\n]*"decisionReason":"policy"|"decisionReason":"policy"[^\n]*"tool":"catalog_unregister_entity"/,
      );
      expect(printed).not.toMatch(
        /\.backstage\/actions\/v1\/actions\/catalog%3Aunregister-entity/,
      );
    });
  });

  it('keeps the restricted catalog reader to the tools that declare what they do downstream', async () => {
    const client = await connectMcpClient(
      '2026-07-28',
      backend.mcpUrl,
      bearer(DEMO_TOKENS.catalogReader),
    );
    const names = (await client.listTools()).map(t => t.name);
    expect(names).toContain('catalog_get_entity');
    expect(names).not.toContain('catalog_get_catalog_entity');
    expect(names).not.toContain('notifications_get_notifications');
    await client.close();
  });
});
