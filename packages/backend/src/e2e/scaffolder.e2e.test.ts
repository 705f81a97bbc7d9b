import {
  connectMcpClient,
  ElicitationRequest,
  McpTestClient,
  PROTOCOL_ERAS,
  ProgressUpdate,
  ProtocolEra,
  ToolCallOutcome,
} from '@backstage-mcp/test-utils';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';
import {
  openSecretPage,
  requestIdsOn,
  submitSecret,
  userCookie,
} from './secretPage';

/** What the "user" types on the portal's secret page; must never reach an agent. */
const SECRET = 'e2e-docs-host-token-9f3k';
const SECRET_LINK = /(http:\/\/localhost:\d+\/api\/mcp\/secrets)\b/;

const agentHeaders = { Authorization: `Bearer ${DEMO_TOKENS.agent}` };

/** Requests whose secrets the "user" entered, last one last. */
const enteredRequests: string[] = [];

/**
 * The person at the portal: signed in as the demo's guest, whom
 * mcp.agents names as who enters demo-agent's secrets, opens the link and
 * submits the newest request's form.
 */
async function enterSecret(backend: DemoBackend, url: string) {
  const cookie = await userCookie(backend.baseUrl, await backend.guestToken());
  const page = await openSecretPage(url, cookie);
  expect(page.status).toBe(200);
  expect(page.html).toContain('name="secret.apiToken"');
  const [id] = requestIdsOn(page.html);
  const saved = await submitSecret({
    url,
    cookie,
    id,
    secrets: { apiToken: SECRET },
  });
  expect(saved.status).toBe(200);
  enteredRequests.push(id);
  return { url, cookie, id };
}

const text = (result: ToolCallOutcome) =>
  result.content.map(c => c.text ?? '').join('\n');

/** The run completed, and the scaffolder masked the log line holding the secret. */
async function expectSecretReachedScaffolder(
  agent: McpTestClient,
  run: ToolCallOutcome,
) {
  expect(run.isError).toBeFalsy();
  const outcome = run.structuredContent as any;
  expect(outcome).toMatchObject({
    status: 'completed',
    template_ref: 'template:default/docs-site',
  });
  // Without a secret the line would read "Docs host token: ".
  const task = await untilTask(
    agent,
    outcome.task_id,
    t => t.status === 'completed',
  );
  const tokenLines = task.log_events
    .filter((e: any) => e.step_id === 'check-token')
    .map((e: any) => e.message);
  expect(tokenLines.some((line: string) => line.includes('***'))).toBe(true);
}

/** A request serves one run: once the run took it, it is gone from the page. */
async function expectRequestUsedUp(entered: {
  url: string;
  cookie: string;
  id: string;
}) {
  const again = await submitSecret({
    ...entered,
    secrets: { apiToken: 'second-run' },
  });
  expect(again.status).toBe(404);
}

async function taskCount(client: McpTestClient): Promise<number> {
  const result = await client.callTool('scaffolder_list_tasks', {
    owner: 'all',
    limit: 1,
  });
  return (result.structuredContent as any).total_count;
}

async function untilTask(
  client: McpTestClient,
  taskId: string,
  done: (task: any) => boolean,
  timeoutMs = 40_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = (
      await client.callTool('scaffolder_get_task', {
        task_id: taskId,
        max_log_events: 500,
      })
    ).structuredContent as any;
    if (done(task) || Date.now() > deadline) return task;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
}

describe('the scaffolder toolset on the demo backend', () => {
  let backend: DemoBackend;
  let printedSinceStart: () => string;
  const results: string[] = [];
  const record = (result: ToolCallOutcome) => {
    results.push(JSON.stringify(result));
    return result;
  };

  beforeAll(async () => {
    backend = await startDemoBackend();
    printedSinceStart = backend.logsSince();
    const probe = await connectMcpClient(
      '2025-11-25',
      backend.mcpUrl,
      agentHeaders,
    );
    // Templates are ingested with the rest of the example catalog.
    for (let i = 0; i < 60; i++) {
      const listed = await probe.callTool('scaffolder_list_templates', {});
      if ((listed.structuredContent as any).items.length >= 3) break;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    await probe.close();
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
  });

  describe.each(PROTOCOL_ERAS)('with a %s client', (era: ProtocolEra) => {
    it('goes from "which template creates a Node service?" to a finished task with output links', async () => {
      const agent = await connectMcpClient(era, backend.mcpUrl, agentHeaders);
      const found = record(
        await agent.callTool('scaffolder_list_templates', { query: 'node' }),
      );
      expect(
        (found.structuredContent as any).items.map((i: any) => i.ref),
      ).toEqual(['template:default/nodejs-service']);
      const template = record(
        await agent.callTool('scaffolder_get_template', {
          ref: 'nodejs-service',
        }),
      );
      expect((template.structuredContent as any).required).toEqual([
        'name',
        'owner',
        'system',
      ]);

      const before = await taskCount(agent);
      const refused = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'nodejs-service',
          values: { name: 'Gift Cards!', owner: 'group:default/payments-team' },
        }),
      );
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain('nothing was run');
      expect(text(refused)).toContain('name must match pattern');
      expect(text(refused)).toContain('system is required');
      expect(await taskCount(agent)).toBe(before);

      const name = `gift-cards-${era.slice(0, 4)}`;
      const progress: ProgressUpdate[] = [];
      const run = record(
        await agent.callTool(
          'scaffolder_run_template',
          {
            ref: 'nodejs-service',
            values: {
              name,
              owner: 'group:default/payments-team',
              system: 'system:default/payments',
            },
            wait: true,
          },
          { onProgress: update => progress.push(update), timeoutMs: 60_000 },
        ),
      );
      expect(run.isError).toBeFalsy();
      const outcome = run.structuredContent as any;
      expect(outcome).toMatchObject({ status: 'completed', finished: true });
      expect(outcome.steps.map((s: any) => [s.id, s.status])).toEqual([
        ['fetch', 'completed'],
        ['log', 'completed'],
        ['wait', 'completed'],
      ]);
      expect(outcome.output.links).toEqual([
        {
          title: 'Service homepage (example)',
          url: `https://example.com/${name}`,
        },
      ]);
      // Progress went step by step up to all three steps done.
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(progress.map(p => p.progress)).toEqual(
        [...progress.map(p => p.progress)].sort(),
      );
      expect(progress[progress.length - 1]).toMatchObject({
        progress: 3,
        total: 3,
      });
      expect(
        progress.some(p => p.message === 'Simulate publishing: processing'),
      ).toBe(true);

      const task = record(
        await agent.callTool('scaffolder_get_task', {
          task_id: outcome.task_id,
        }),
      );
      expect((task.structuredContent as any).status).toBe('completed');
      expect(
        (task.structuredContent as any).log_events
          .map((e: any) => e.message)
          .join('\n'),
      ).toContain(`Rendered ${name} (lifecycle experimental)`);
      await agent.close();
    }, 90_000);

    it('cancels a long-running task', async () => {
      const agent = await connectMcpClient(era, backend.mcpUrl, agentHeaders);
      const values = {
        name: `slow-docs-${era.slice(0, 4)}`,
        owner: 'group:default/platform-team',
        waitSeconds: 60,
      };
      const asked = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'docs-site',
          values,
        }),
      );
      await enterSecret(backend, SECRET_LINK.exec(text(asked))![1]);
      const run = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'docs-site',
          values,
        }),
      );
      const taskId = (run.structuredContent as any).task_id;
      const waiting = await untilTask(agent, taskId, t =>
        t.steps.some((s: any) => s.id === 'wait' && s.status === 'processing'),
      );
      expect(waiting.status).toBe('processing');

      const cancelled = record(
        await agent.callTool('scaffolder_cancel_task', { task_id: taskId }),
      );
      expect(cancelled.isError).toBeFalsy();
      const final = await untilTask(
        agent,
        taskId,
        t => t.status === 'cancelled',
      );
      expect(final.status).toBe('cancelled');
      await agent.close();
    }, 90_000);
  });

  describe('a template that needs a secret, which never passes through the agent', () => {
    it('2025-11-25: the errors name what is missing and give the portal link', async () => {
      const elicitations: ElicitationRequest[] = [];
      const agent = await connectMcpClient(
        '2025-11-25',
        backend.mcpUrl,
        agentHeaders,
        {
          onElicitation: async request => {
            elicitations.push(request);
            return { action: 'decline' };
          },
        },
      );
      const values = { name: 'handbook-2025' };
      const missing = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'docs-site',
          values,
          wait: true,
        }),
      );
      // Stateless 2025-era requests carry no client capabilities, and a
      // server-to-client request could not reach the client: no elicitation.
      expect(missing.isError).toBe(true);
      expect(text(missing)).toContain('owner is required');

      const complete = { ...values, owner: 'group:default/platform-team' };
      const needsSecret = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'docs-site',
          values: complete,
          wait: true,
        }),
      );
      expect(needsSecret.isError).toBe(true);
      expect(text(needsSecret)).toContain('needs secrets (apiToken)');
      expect(text(needsSecret)).toContain(
        'signed in to the portal as user:development/guest',
      );
      const entered = await enterSecret(
        backend,
        SECRET_LINK.exec(text(needsSecret))![1],
      );
      const run = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'docs-site',
          values: complete,
          wait: true,
        }),
      );
      expect(elicitations).toEqual([]);
      await expectSecretReachedScaffolder(agent, run);
      await expectRequestUsedUp(entered);
      await agent.close();
    }, 90_000);

    it('2026-07-28: one elicitation round, a form for the missing value and the portal page for the secret', async () => {
      const elicitations: ElicitationRequest[] = [];
      let entered: Awaited<ReturnType<typeof enterSecret>> | undefined;
      const agent = await connectMcpClient(
        '2026-07-28',
        backend.mcpUrl,
        agentHeaders,
        {
          onElicitation: async request => {
            elicitations.push(request);
            if (request.mode === 'url') {
              entered = await enterSecret(backend, request.url!);
              return { action: 'accept' };
            }
            return {
              action: 'accept',
              content: { owner: 'group:default/platform-team' },
            };
          },
        },
      );
      const run = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'docs-site',
          values: { name: 'handbook-2026' },
          wait: true,
        }),
      );
      expect(elicitations.map(e => e.mode ?? 'form').sort()).toEqual([
        'form',
        'url',
      ]);
      expect(
        elicitations.find(e => e.mode !== 'url')!.requestedSchema,
      ).toMatchObject({
        required: ['owner'],
      });
      await expectSecretReachedScaffolder(agent, run);
      await expectRequestUsedUp(entered!);
      await agent.close();
    }, 90_000);
  });

  describe('permissions', () => {
    it('refuses a principal that may not create tasks, without creating one', async () => {
      const agent = await connectMcpClient(
        '2026-07-28',
        backend.mcpUrl,
        agentHeaders,
      );
      const before = await taskCount(agent);
      const reader = await connectMcpClient('2026-07-28', backend.mcpUrl, {
        Authorization: `Bearer ${DEMO_TOKENS.catalogReader}`,
      });
      const refused = record(
        await reader.callTool('scaffolder_run_template', {
          ref: 'nodejs-service',
          values: {
            name: 'sneaky',
            owner: 'group:default/payments-team',
            system: 'system:default/payments',
          },
        }),
      );
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(/Not allowed/);
      expect(await taskCount(agent)).toBe(before);
      await Promise.all([reader.close(), agent.close()]);
    });

    it("refuses a template outside a static agent's allowlist (mcp.agents)", async () => {
      const agent = await connectMcpClient(
        '2025-11-25',
        backend.mcpUrl,
        agentHeaders,
      );
      const before = await taskCount(agent);
      const refused = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'database-cluster',
          values: { name: 'orders-db', owner: 'group:default/payments-team' },
        }),
      );
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain("not on this agent's template allowlist");
      expect(await taskCount(agent)).toBe(before);
      await agent.close();
    });

    it('lets the permission policy allow users only agent-safe templates (mcp.template.run)', async () => {
      const agent = await connectMcpClient(
        '2025-11-25',
        backend.mcpUrl,
        agentHeaders,
      );
      const guest = await connectMcpClient('2026-07-28', backend.mcpUrl, {
        Authorization: `Bearer ${await backend.guestToken()}`,
      });
      const before = await taskCount(agent);
      const refused = record(
        await guest.callTool('scaffolder_run_template', {
          ref: 'database-cluster',
          values: { name: 'orders-db', owner: 'group:default/payments-team' },
        }),
      );
      expect(refused.isError).toBe(true);
      expect(text(refused)).toContain('mcp.template.run');
      expect(await taskCount(agent)).toBe(before);

      const allowed = record(
        await guest.callTool('scaffolder_run_template', {
          ref: 'nodejs-service',
          values: {
            name: 'guest-service',
            owner: 'group:default/payments-team',
            system: 'system:default/payments',
          },
        }),
      );
      expect(allowed.isError).toBeFalsy();
      expect(await taskCount(agent)).toBe(before + 1);
      await Promise.all([guest.close(), agent.close()]);
    });
  });

  describe("other principals' tasks", () => {
    /** The scaffolder's own audit event of a cancel of this task: absent, nothing reached it. */
    const scaffolderCancelled = (logs: string, taskId: string) =>
      logs
        .split('\n')
        .some(l => /"actionType":"cancel"/.test(l) && l.includes(taskId));

    it('lets the guest and the agent cancel and retry only their own tasks', async () => {
      const agent = await connectMcpClient(
        '2026-07-28',
        backend.mcpUrl,
        agentHeaders,
      );
      const guest = await connectMcpClient('2025-11-25', backend.mcpUrl, {
        Authorization: `Bearer ${await backend.guestToken()}`,
      });
      // A long run of the agent's, so that a cancel would show.
      const values = {
        name: 'agent-long-docs',
        owner: 'group:default/platform-team',
        waitSeconds: 60,
      };
      const asked = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'docs-site',
          values,
        }),
      );
      await enterSecret(backend, SECRET_LINK.exec(text(asked))![1]);
      const agentRun = record(
        await agent.callTool('scaffolder_run_template', {
          ref: 'docs-site',
          values,
        }),
      );
      const agentTask = (agentRun.structuredContent as any).task_id;
      await untilTask(agent, agentTask, t => t.status === 'processing');

      const logs = backend.logsSince();
      // The demo policy gives the guest scaffolder_cancel_task, not retry.
      const refused = record(
        await guest.callTool('scaffolder_cancel_task', { task_id: agentTask }),
      );
      expect(refused.isError).toBe(true);
      expect(text(refused)).toMatch(
        /not by you.*mcp\.task\.manage\.others.*Nothing was cancelled/,
      );
      expect((await untilTask(agent, agentTask, () => true)).status).toBe(
        'processing',
      );

      const guestRun = record(
        await guest.callTool('scaffolder_run_template', {
          ref: 'nodejs-service',
          values: {
            name: 'guest-own-service',
            owner: 'group:default/payments-team',
            system: 'system:default/payments',
          },
        }),
      );
      const guestTask = (guestRun.structuredContent as any).task_id;
      // The demo agent's token is unrestricted, yet it may not act on the guest's task.
      for (const tool of ['scaffolder_cancel_task', 'scaffolder_retry_task']) {
        const agentRefused = record(
          await agent.callTool(tool, { task_id: guestTask }),
        );
        expect(agentRefused.isError).toBe(true);
        expect(text(agentRefused)).toMatch(
          /not by you.*accessRestrictions for the plugin "mcp" name mcp\.task\.manage\.others.*Nothing was (cancelled|retried)/,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 300));
      expect(scaffolderCancelled(logs(), agentTask)).toBe(false);
      expect(scaffolderCancelled(logs(), guestTask)).toBe(false);

      const guestCancels = record(
        await guest.callTool('scaffolder_cancel_task', { task_id: guestTask }),
      );
      expect(guestCancels.isError).toBeFalsy();
      const agentCancels = record(
        await agent.callTool('scaffolder_cancel_task', { task_id: agentTask }),
      );
      expect(agentCancels.isError).toBeFalsy();
      expect(
        (await untilTask(agent, agentTask, t => t.status === 'cancelled'))
          .status,
      ).toBe('cancelled');
      // The scaffolder's audit shows the cancels that did reach it.
      expect(scaffolderCancelled(logs(), agentTask)).toBe(true);
      await Promise.all([guest.close(), agent.close()]);
    }, 90_000);

    it('registers mcp.task.manage.others with the permission framework', async () => {
      const response = await fetch(
        `${backend.mcpUrl}/.well-known/backstage/permissions/metadata`,
        {
          headers: agentHeaders,
        },
      );
      const { permissions } = await response.json();
      expect(permissions).toContainEqual(
        expect.objectContaining({
          name: 'mcp.task.manage.others',
          resourceType: 'scaffolder-task',
        }),
      );
    });
  });

  it('never shows the secret in a tool result, an audit event or a log line', async () => {
    expect(results.length).toBeGreaterThan(0);
    expect(results.join('\n')).not.toContain(SECRET);
    const printed = printedSinceStart();
    expect(printed).toMatch(/scaffolder_run_template/);
    expect(printed).toMatch(/secret-entry.*template:default\/docs-site/);
    expect(printed).not.toContain(SECRET);
    expect(enteredRequests.length).toBeGreaterThan(0);
    for (const id of enteredRequests) expect(printed).not.toContain(id);
  });
});
