import {
  connectMcpClient,
  ElicitationRequest,
  McpTestClient,
  ToolCallOutcome,
} from '@backstage-mcp/test-utils';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';
import { ReplicaSet, sharedStorageFromEnv, startReplicas } from './replicas';
import {
  openSecretPage,
  requestIdsOn,
  submitSecret,
  userCookie,
} from './secretPage';

/**
 * The secret entry page as people use it: Backstage's own sign-in is the
 * only key to it (the cookie a signed-in frontend gets with the user's token,
 * here a guest token), it shows who asked, takes one submission, and nothing
 * of a request reaches the logs.
 */

const SECRET = 'e2e-secret-page-token-7d2q';
const GUEST = 'user:development/guest';
const VALUES = { owner: 'group:default/platform-team' };

const text = (result: ToolCallOutcome) =>
  result.content.map(c => c.text ?? '').join('\n');

async function waitForTemplates(mcpUrl: string) {
  const probe = await connectMcpClient('2025-11-25', mcpUrl, {
    Authorization: `Bearer ${DEMO_TOKENS.agent}`,
  });
  for (let i = 0; i < 60; i++) {
    const listed = await probe.callTool('scaffolder_list_templates', {});
    if ((listed.structuredContent as any).items.length >= 3) break;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  await probe.close();
}

async function untilTaskDone(client: McpTestClient, taskId: string) {
  const deadline = Date.now() + 40_000;
  for (;;) {
    const task = (
      await client.callTool('scaffolder_get_task', {
        task_id: taskId,
        max_log_events: 500,
      })
    ).structuredContent as any;
    if (task.finished || Date.now() > deadline) return task;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

/** The run completed with the secret: the scaffolder masked the log line that holds it. */
async function expectRanWithSecret(
  client: McpTestClient,
  run: ToolCallOutcome,
) {
  expect(run.isError).toBeFalsy();
  const task = await untilTaskDone(
    client,
    (run.structuredContent as any).task_id,
  );
  expect(task.status).toBe('completed');
  const tokenLines = task.log_events
    .filter((e: any) => e.step_id === 'check-token')
    .map((e: any) => e.message);
  expect(tokenLines.some((line: string) => line.includes('***'))).toBe(true);
}

describe('the secret entry page on the demo backend', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startDemoBackend();
    await waitForTemplates(backend.mcpUrl);
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
  });

  it('asks the signed-in user who asked, shows who and what, takes one submission, and keeps the id out of the logs', async () => {
    const guestToken = await backend.guestToken();
    const logs = backend.logsSince();
    let seen: { url: string; cookie: string; id: string } | undefined;
    const checks: Array<() => void> = [];

    const user = await connectMcpClient(
      '2026-07-28',
      backend.mcpUrl,
      { Authorization: `Bearer ${guestToken}` },
      {
        onElicitation: async (request: ElicitationRequest) => {
          if (request.mode !== 'url') return { action: 'decline' };
          const url = request.url!;
          // The link alone shows nothing: not to whoever reads it, not to an agent's token.
          const signedOut = await openSecretPage(url);
          const agent = await fetch(url, {
            headers: { Authorization: `Bearer ${DEMO_TOKENS.agent}` },
          });
          const agentHtml = await agent.text();

          const cookie = await userCookie(backend.baseUrl, guestToken);
          const page = await openSecretPage(url, cookie);
          const [id] = requestIdsOn(page.html);
          const first = await submitSecret({
            url,
            cookie,
            id,
            secrets: { apiToken: SECRET },
          });
          const second = await submitSecret({
            url,
            cookie,
            id,
            secrets: { apiToken: 'overwrite-attempt' },
          });
          seen = { url, cookie, id };
          checks.push(() => {
            expect(url).toBe(`${backend.mcpUrl}/secrets`);
            expect(request.message).toContain(`signed in as ${GUEST}`);
            expect(signedOut.status).toBe(401);
            expect(signedOut.html).toContain('Sign in to');
            expect(signedOut.html).not.toMatch(/<form|docs-site/);
            expect(agent.status).toBe(403);
            expect(agentHtml).not.toContain('<form');

            expect(page.status).toBe(200);
            expect(page.html).toContain(`<dd>${GUEST} (you)</dd>`);
            expect(page.html).toContain(
              '<dd>modern-test-client 2.0.0 (as the client names itself)</dd>',
            );
            expect(page.html).toContain(
              'Documentation site <small>template:default/docs-site</small>',
            );
            expect(first.status).toBe(200);
            expect(second.status).toBe(409);
          });
          return { action: 'accept' };
        },
      },
    );
    const run = await user.callTool(
      'scaffolder_run_template',
      {
        ref: 'docs-site',
        values: { ...VALUES, name: 'secret-page-docs' },
        wait: true,
      },
      { timeoutMs: 60_000 },
    );
    checks.forEach(check => check());
    expect(seen).toBeDefined();
    await expectRanWithSecret(user, run);
    expect(JSON.stringify(run)).not.toContain(SECRET);

    // Used up: the request is gone from the page and takes nothing more.
    expect((await openSecretPage(seen!.url, seen!.cookie)).status).toBe(404);
    expect(
      (await submitSecret({ ...seen!, secrets: { apiToken: 'late' } })).status,
    ).toBe(404);

    const printed = logs();
    expect(printed).toMatch(/secret-entry/);
    expect(printed).toContain('"GET /api/mcp/secrets HTTP/1.1" 200');
    expect(printed).not.toContain(seen!.id);
    expect(printed).not.toContain(SECRET);
    expect(printed).not.toContain('overwrite-attempt');
    await user.close();
  }, 120_000);

  it('answers malformed submissions with a plain page that repeats nothing', async () => {
    const url = `${backend.mcpUrl}/secrets`;
    const post = (
      body: string,
      contentType = 'application/x-www-form-urlencoded',
    ) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });
    const cases: Array<[string, Promise<Response>, number]> = [
      [
        '70 kB',
        post(`secret.apiToken=${SECRET}&pad=${'a'.repeat(70 * 1024)}`),
        413,
      ],
      [
        '60 fields',
        post(
          [
            `secret.apiToken=${SECRET}`,
            ...Array.from({ length: 60 }, (_, i) => `f${i}=x`),
          ].join('&'),
        ),
        413,
      ],
      [
        'unknown charset',
        post(
          `secret.apiToken=${SECRET}`,
          'application/x-www-form-urlencoded; charset=klingon',
        ),
        415,
      ],
    ];
    for (const [name, sent, status] of cases) {
      const res = await sent;
      const body = await res.text();
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(body).not.toContain(SECRET);
      expect(body).not.toMatch(/stack|node_modules|\bat \S+ \(/);
    }
  });

  it('lets a static-token agent ask only the people mcp.agents names (the guest, in the demo)', async () => {
    const agent = await connectMcpClient('2025-11-25', backend.mcpUrl, {
      Authorization: `Bearer ${DEMO_TOKENS.agent}`,
    });
    const asked = await agent.callTool('scaffolder_run_template', {
      ref: 'docs-site',
      values: { ...VALUES, name: 'agent-docs' },
    });
    expect(text(asked)).toContain(`signed in to the portal as ${GUEST}`);
    const cookie = await userCookie(
      backend.baseUrl,
      await backend.guestToken(),
    );
    const page = await openSecretPage(`${backend.mcpUrl}/secrets`, cookie);
    expect(page.html).toContain(
      '<dd>the agent &quot;demo-agent&quot; (a static token, not a person)</dd>',
    );
    await agent.close();
  });
});

describe('the secret entry page with two replicas and two users (shared PostgreSQL and Redis)', () => {
  let set: ReplicaSet;
  const MALLORY = 'user:default/mallory';

  beforeAll(async () => {
    set = await startReplicas({
      count: 2,
      storage: sharedStorageFromEnv(),
      // The demo signs everyone in as its guest: the second replica's guest is another user.
      replicaEnv: (index): Record<string, string> =>
        index === 1
          ? { APP_CONFIG_auth_providers_guest_userEntityRef: MALLORY }
          : {},
    });
    await waitForTemplates(set.replicas[0].mcpUrl);
  }, 600_000);
  afterAll(async () => {
    await set?.stop();
  }, 120_000);

  it('shows a request only to the user who asked, on any replica, and refuses another user', async () => {
    const [first, second] = set.replicas;
    const guestToken = await first.guestToken();
    const malloryToken = await second.guestToken();
    const user = await connectMcpClient('2025-11-25', first.mcpUrl, {
      Authorization: `Bearer ${guestToken}`,
    });
    const values = { ...VALUES, name: 'two-replica-docs' };
    const asked = await user.callTool('scaffolder_run_template', {
      ref: 'docs-site',
      values,
    });
    expect(asked.isError).toBe(true);
    expect(text(asked)).toContain(`signed in to the portal as ${GUEST}`);

    // Another user, signed in on either replica, sees nothing and can enter nothing.
    const mallory = await userCookie(second.baseUrl, malloryToken);
    expect(await userCookie(first.baseUrl, malloryToken)).toBeTruthy();
    const guest = await userCookie(second.baseUrl, guestToken);
    const guestPage = await openSecretPage(`${second.mcpUrl}/secrets`, guest);
    expect(guestPage.status).toBe(200);
    const [id] = requestIdsOn(guestPage.html);
    for (const replica of [first, second]) {
      const url = `${replica.mcpUrl}/secrets`;
      const page = await openSecretPage(url, mallory);
      expect(page.status).toBe(404);
      expect(page.html).toContain(`Signed in as ${MALLORY}`);
      expect(page.html).not.toMatch(/<form|docs-site/);
      const refused = await submitSecret({
        url,
        cookie: mallory,
        id,
        secrets: { apiToken: 'mallory-token' },
      });
      expect(refused.status).toBe(404);
    }

    // The user who asked enters it on the second replica; the run on the first uses it.
    const saved = await submitSecret({
      url: `${second.mcpUrl}/secrets`,
      cookie: guest,
      id,
      secrets: { apiToken: SECRET },
    });
    expect(saved.status).toBe(200);
    const run = await user.callTool(
      'scaffolder_run_template',
      { ref: 'docs-site', values, wait: true },
      { timeoutMs: 60_000 },
    );
    await expectRanWithSecret(user, run);

    for (const replica of set.replicas) {
      expect(replica.output()).not.toContain(id);
      expect(replica.output()).not.toContain(SECRET);
    }
    await user.close();
  }, 180_000);
});
