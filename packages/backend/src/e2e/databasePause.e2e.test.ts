import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
  ProtocolEra,
  ToolCallOutcome,
} from '@backstage-mcp/test-utils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEMO_APP_CONFIG, DEMO_TOKENS } from './demoBackend';
import { PrivatePostgres, startPrivatePostgres } from './privatePostgres';
import { ReplicaSet, sharedStorageFromEnv, startReplicas } from './replicas';
import { createScratchDocs, ScratchDocs } from './scratchDocs';

/**
 * Issue 10, fault 1: the portal's PostgreSQL stops answering (SIGSTOP of the
 * whole server: a hung host, a full disk, a stuck failover). Every request
 * must still answer within a bounded time, and everything must work again
 * once the database does. The cluster is the test's own, so that pausing it
 * stops no other suite.
 */

const CALL_TIMEOUT_S = 3;
/**
 * The TechDocs tools and the docs resource add it to their limit. Enough
 * for the real mkdocs to build the test's small site on a loaded machine
 * before the fault.
 */
const BUILD_WAIT_S = 10;
/**
 * Beyond a request's limit: the HTTP round trip and the governed runner's
 * own work, on a 2-core CI machine where other suites boot backends at the
 * same time. Generous, bounded.
 */
const MARGIN_MS = 5000;
/** Above startReplicas' own limit (5 minutes), so that a failed boot cleans up first. */
const BOOT_TIMEOUT_MS = 600_000;

/** A request's limit: the TechDocs tools and the docs resource add the build wait. */
const limitSecondsOf = (what: string) =>
  CALL_TIMEOUT_S +
  (/^techdocs_|^backstage:\/\/docs\//.test(what) ? BUILD_WAIT_S : 0);

const escapeRegExp = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * What a request that ran out of time says: which limit, why, and what to
 * do. Resource reads answer a JSON-RPC error with the same message (the 1.x
 * SDK prefixes the code).
 */
function timeoutMessage(what: string) {
  const subject = what.startsWith('backstage://')
    ? `rejected: (MCP error -32603: )?The resource ${escapeRegExp(what)}`
    : `The tool ${what}`;
  return new RegExp(
    `^${subject} did not finish within ${limitSecondsOf(what)} s: ` +
      'a service it needs \\(the catalog, its database or another plugin\\) is slow or unavailable\\. ' +
      '(Retry in a minute|It may still complete: check its effect before retrying)\\.$',
  );
}
/**
 * Tools that need no database answer as usual: descriptor validation runs
 * in the catalog's processors, the action list is in the scaffolder's
 * memory, the catalog's model description is a fixed text, and the
 * notifications plugin refuses a service before it reads anything. (The
 * demo's search index is in memory too, but field restrictions read the
 * entities of the hits from the catalog.)
 */
const WITHOUT_DATABASE = [
  'catalog_validate_entity',
  'scaffolder_list_actions',
  'catalog_get_catalog_model_description',
  'notifications_get_notifications',
];

const auth = { Authorization: `Bearer ${DEMO_TOKENS.agent}` };

/** A task id no run has: the task tools answer "not found" once the database does. */
const UNKNOWN_TASK = '0b1c5e4e-8d0a-4c47-9a3e-5a3c8f1f2d6e';

/** How each listed tool is called: realistic arguments, valid against its schema. */
function toolArguments(
  proposedUrl: string,
  docs: ScratchDocs,
): Record<string, Record<string, unknown> | string> {
  return {
    whoami: {},
    catalog_search: { kind: 'Component', owner: 'payments-team' },
    catalog_get_entity: { ref: 'checkout-service' },
    catalog_get_relations: { ref: 'checkout-service', depth: 2 },
    catalog_get_owner: { ref: 'payment-service' },
    catalog_list_owned_entities: { owner: 'group:default/payments-team' },
    catalog_list_values: { field: 'spec.type', kind: 'Component' },
    catalog_refresh_entity: { ref: 'checkout-service' },
    catalog_validate_entity: {
      yaml: 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: gift-card-service\nspec:\n  type: service\n  lifecycle: experimental\n  owner: payments-team\n',
    },
    catalog_register_location: { target: proposedUrl, dry_run: true },
    api_get_spec: { ref: 'payment-api' },
    scaffolder_list_templates: {},
    scaffolder_get_template: { ref: 'nodejs-service' },
    scaffolder_validate_values: {
      ref: 'nodejs-service',
      values: { name: 'gift-card-service' },
    },
    scaffolder_list_actions: {},
    scaffolder_run_template:
      'not called: it would start a real template run once the database answers again; catalog_refresh_entity covers the message of a write that timed out',
    scaffolder_list_tasks: { owner: 'all' },
    scaffolder_get_task: { task_id: UNKNOWN_TASK },
    scaffolder_cancel_task: { task_id: UNKNOWN_TASK },
    scaffolder_retry_task: { task_id: UNKNOWN_TASK },
    search: { query: 'payment' },
    techdocs_list_pages: { ref: docs.ref },
    techdocs_get_page: { ref: docs.ref, path: '/runbook/' },
    // The demo's toolset added through the extension point.
    quality_check_entity: { ref: 'cart-service' },
    // Actions of the demo's plugins, bridged.
    catalog_get_catalog_model_description: {},
    catalog_unregister_entity:
      'not called: it would delete catalog entities once the database answers again; catalog_refresh_entity covers a write',
    notifications_get_notifications: { view: 'all' },
  };
}

/** What the tools answer with the database up (the task tools: no such task). */
const ANSWERS_WITH_DATABASE: Record<string, RegExp> = {
  // The notifications plugin serves users only; this test's agent is a service.
  notifications_get_notifications:
    /^Not allowed: This action requires user credentials/,
  scaffolder_get_task: /^Not found: /,
  scaffolder_cancel_task: /^Not found: /,
  scaffolder_retry_task: /^Not found: /,
};

/** One request, measured: how long it took and what it answered. */
interface Measured {
  what: string;
  ms: number;
  outcome: string;
}

interface Timing extends Measured {
  phase: string;
  era: ProtocolEra;
}

const outcomeOf = (result: ToolCallOutcome) =>
  result.isError ? result.content[0]?.text ?? '(isError without text)' : 'ok';

/**
 * Runs `call` and measures it; a call still pending after `limitMs` is
 * reported as hanging rather than left to the test timeout.
 */
async function timed(
  what: string,
  limitMs: number,
  call: () => Promise<string>,
): Promise<Measured> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<string>(resolve => {
    timer = setTimeout(
      () => resolve(`HUNG: no answer after ${limitMs} ms`),
      limitMs,
    );
  });
  try {
    const outcome = await Promise.race([
      call().catch(error => `rejected: ${(error as Error).message}`),
      hang,
    ]);
    return { what, ms: Math.round(performance.now() - started), outcome };
  } finally {
    clearTimeout(timer);
  }
}

describe('the demo backend while its PostgreSQL is paused', () => {
  let postgres: PrivatePostgres | undefined;
  let set: ReplicaSet | undefined;
  let docs: ScratchDocs | undefined;
  let repository: http.Server | undefined;
  let proposedUrl: string;
  let noBudgets: string;
  let userAuth: Record<string, string> | undefined;
  let userSeenAt = 0;
  const timings: Timing[] = [];

  beforeAll(async () => {
    // The cache stays in the test services' Redis, as in a deployment whose
    // database alone fails.
    const { redisUrl } = sharedStorageFromEnv();
    postgres = await startPrivatePostgres();
    docs = createScratchDocs();
    // A stand-in for the repository of a proposed catalog-info.yaml (the
    // catalog's UrlReader may read this one host only).
    repository = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/yaml' });
      // eslint-disable-next-line no-restricted-syntax
      res.end(
        fs.readFileSync(
          path.resolve(
            __dirname,
            '../../../../examples/hygiene/loyalty-service.yaml',
          ),
        ),
      );
    });
    await new Promise<void>(resolve =>
      repository!.listen(0, '127.0.0.1', resolve),
    );
    const host = `127.0.0.1:${(repository.address() as AddressInfo).port}`;
    proposedUrl = `http://${host}/acme/loyalty/catalog-info.yaml`;
    // No budgets: this test bounds the wait on the services a call needs,
    // not the budget check in front of it, which has a store timeout of its
    // own where budgets live in the database. The environment cannot unset
    // a key, a config file can.
    noBudgets = path.join(docs.directory, 'no-budgets.yaml');
    fs.writeFileSync(
      noBudgets,
      'mcp:\n  rateLimits: null\n  agents:\n    - subject: demo-agent\n      templates: [tag:agent-safe]\n',
    );
    set = await startReplicas({
      count: 1,
      storage: { kind: 'shared', postgresUrl: postgres.url, redisUrl },
      env: {
        ...docs.env,
        APP_CONFIG_backend_reading_allow: JSON.stringify([{ host }]),
        APP_CONFIG_mcp_callTimeout: `${CALL_TIMEOUT_S}s`,
        APP_CONFIG_mcp_techdocs_buildWaitSeconds: String(BUILD_WAIT_S),
      },
      configFiles: [DEMO_APP_CONFIG, noBudgets],
    });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    // Whatever happened above: the server runs again before anything is
    // stopped, so that stopping the backend and dropping databases never
    // waits on a frozen server.
    postgres?.resume();
    try {
      await set?.stop();
    } finally {
      await postgres?.stop();
      docs?.remove();
      await new Promise(resolve =>
        repository ? repository.close(resolve) : resolve(undefined),
      );
      if (timings.length > 0) {
        // Reported in the test output: the figures of the README's Faults section.
        console.log(
          `[database-pause] timings (callTimeout ${CALL_TIMEOUT_S} s, buildWaitSeconds ${BUILD_WAIT_S}):\n${timings
            .map(
              t =>
                `${t.phase.padEnd(14)} ${t.era} ${t.what.padEnd(30)} ${String(
                  t.ms,
                ).padStart(6)} ms  ${t.outcome.slice(0, 160)}`,
            )
            .join('\n')}`,
        );
      }
    }
  }, 180_000);

  const mcpUrl = () => set!.replicas[0].mcpUrl;

  /** Calls every listed tool one after the other (a baseline without a fault). */
  async function callEveryToolInTurn(
    client: McpTestClient,
    phase: string,
    limitMs: number,
  ) {
    const args = toolArguments(proposedUrl, docs!);
    const outcomes: Record<string, string> = {};
    for (const { name } of await client.listTools()) {
      const toolArgs = args[name];
      expect({ name, covered: toolArgs !== undefined }).toEqual({
        name,
        covered: true,
      });
      if (typeof toolArgs !== 'object') continue;
      const timing = await timed(name, limitMs, async () =>
        outcomeOf(await client.callTool(name, toolArgs)),
      );
      timings.push({ phase, era: client.era, ...timing });
      outcomes[name] = timing.outcome;
    }
    return outcomes;
  }

  const expectWorking = (outcomes: Record<string, string>) => {
    for (const [name, outcome] of Object.entries(outcomes)) {
      expect({ name, outcome }).toEqual({
        name,
        outcome: expect.stringMatching(ANSWERS_WITH_DATABASE[name] ?? /^ok$/),
      });
    }
  };

  it('answers every tool as usual before the fault', async () => {
    // The backend checks user tokens against the sign-in service's keys,
    // which it fetches once and keeps: this user has been seen before the
    // fault. (Were it the first, checking its token would need the sign-in
    // service's database too: the endpoint then answers 503 in time.)
    userAuth = {
      Authorization: `Bearer ${await set!.replicas[0].guestToken()}`,
    };
    const user = await connectMcpClient('2026-07-28', mcpUrl(), userAuth);
    expect(outcomeOf(await user.callTool('whoami', {}))).toBe('ok');
    await user.close();
    userSeenAt = Date.now();
    const client = await connectMcpClient('2026-07-28', mcpUrl(), auth);
    try {
      // The first read of the docs builds them (real mkdocs, up to
      // buildWaitSeconds); a slow machine may need a second call.
      for (let attempt = 1; attempt <= 3; attempt++) {
        const pages = await client.callTool('techdocs_list_pages', {
          ref: docs!.ref,
        });
        if (!pages.isError) break;
        expect(outcomeOf(pages)).toMatch(/are being built now/);
      }
      // The search index is filled by a collator a few seconds after start:
      // with no hits, search would need no catalog read during the pause.
      let hits = 0;
      for (let attempt = 1; attempt <= 60 && hits === 0; attempt++) {
        if (attempt > 1)
          await new Promise(resolve => setTimeout(resolve, 1000));
        const result = await client.callTool('search', { query: 'payment' });
        hits = ((result.structuredContent as any)?.items ?? []).length;
      }
      expect(hits).toBeGreaterThan(0);
      expectWorking(await callEveryToolInTurn(client, 'before', 60_000));
    } finally {
      await client.close();
    }
  }, 300_000);

  it('answers within the bound while the database is paused, and works again after SIGCONT', async () => {
    const clients = await Promise.all(
      PROTOCOL_ERAS.map(era => connectMcpClient(era, mcpUrl(), auth)),
    );
    const args = toolArguments(proposedUrl, docs!);
    const toolNames = (await clients[0].listTools()).map(tool => tool.name);
    const called = toolNames.filter(
      name => name !== 'whoami' && typeof args[name] === 'object',
    );
    const resources = [
      'backstage://entity/component/default/checkout-service',
      `backstage://docs/component/default/${docs!.name}/runbook/`,
    ];
    /** The limit of a request, as the governed runner computes it, plus the margin. */
    const boundOf = (what: string) => limitSecondsOf(what) * 1000 + MARGIN_MS;
    /** Past the bound, a call is reported as hanging instead of waited for. */
    const HANG_REPORT_MS = 30_000;
    const during: Array<{ quick: Measured[]; answered: Measured[] }> = [];
    const asUser = userAuth!;
    // Backstage keeps who a user is for 5 s; past that, a decision about the
    // user asks the sign-in service again, as during any longer outage.
    await new Promise(resolve =>
      setTimeout(resolve, Math.max(0, userSeenAt + 6000 - Date.now())),
    );
    try {
      const stopped = postgres!.pause();
      expect(stopped.length).toBeGreaterThan(1);
      const pausedAt = performance.now();
      try {
        for (const client of clients) {
          const era = client.era;
          // Connection checks first: they need no database and must not wait.
          const quick = await Promise.all([
            timed('whoami', HANG_REPORT_MS, async () =>
              outcomeOf(await client.callTool('whoami', {})),
            ),
            timed(
              'tools/list',
              HANG_REPORT_MS,
              async () => `${(await client.listTools()).length} tools`,
            ),
            timed('new session', HANG_REPORT_MS, async () => {
              const fresh = await connectMcpClient(era, mcpUrl(), auth);
              await fresh.close();
              return 'ok';
            }),
            // A signed-in user (the guest here): the permission framework
            // asks the sign-in service who they are, which reads its database.
            timed('user whoami', HANG_REPORT_MS, async () => {
              const user = await connectMcpClient(era, mcpUrl(), asUser);
              try {
                return outcomeOf(await user.callTool('whoami', {}));
              } finally {
                await user.close();
              }
            }),
            timed('user tools/list', HANG_REPORT_MS, async () => {
              const user = await connectMcpClient(era, mcpUrl(), asUser);
              try {
                return `${(await user.listTools()).length} tools`;
              } finally {
                await user.close();
              }
            }),
          ]);
          // Every tool at once, as an agent fanning out would, and resource reads.
          const answered = await Promise.all([
            ...called.map(name =>
              timed(name, boundOf(name) + HANG_REPORT_MS, async () =>
                outcomeOf(
                  await client.callTool(
                    name,
                    args[name] as Record<string, unknown>,
                  ),
                ),
              ),
            ),
            ...resources.map(uri =>
              timed(uri, boundOf(uri) + HANG_REPORT_MS, async () => {
                await client.readResource(uri);
                return 'ok';
              }),
            ),
          ]);
          during.push({ quick, answered });
          timings.push(
            ...[...quick, ...answered].map(t => ({
              phase: 'paused',
              era,
              ...t,
            })),
          );
        }
      } finally {
        postgres!.resume();
      }
      const pausedForMs = Math.round(performance.now() - pausedAt);

      // Recovery: the first catalog read that succeeds after SIGCONT.
      const resumedAt = performance.now();
      let recovered: string | undefined;
      for (let attempt = 0; attempt < 60 && recovered !== 'ok'; attempt++) {
        if (attempt > 0) await new Promise(resolve => setTimeout(resolve, 500));
        recovered = outcomeOf(
          await clients[0].callTool('catalog_get_entity', {
            ref: 'checkout-service',
          }),
        );
      }
      timings.push({
        phase: 'after SIGCONT',
        era: clients[0].era,
        what: `first catalog read (paused ${pausedForMs} ms)`,
        ms: Math.round(performance.now() - resumedAt),
        outcome: recovered!,
      });
      const after = await callEveryToolInTurn(
        clients[1],
        'after SIGCONT',
        60_000,
      );
      const userAfter = await timed('user whoami', HANG_REPORT_MS, async () => {
        const user = await connectMcpClient('2026-07-28', mcpUrl(), asUser);
        try {
          return outcomeOf(await user.callTool('whoami', {}));
        } finally {
          await user.close();
        }
      });
      timings.push({ phase: 'after SIGCONT', era: '2026-07-28', ...userAfter });

      for (const { quick, answered } of during) {
        expect(
          quick.map(t => ({
            what: t.what,
            outcome: t.outcome,
            withinBound: t.ms <= boundOf(t.what),
          })),
        ).toEqual([
          { what: 'whoami', outcome: 'ok', withinBound: true },
          {
            what: 'tools/list',
            outcome: `${toolNames.length} tools`,
            withinBound: true,
          },
          { what: 'new session', outcome: 'ok', withinBound: true },
          {
            what: 'user whoami',
            outcome: `The tool whoami did not finish within ${CALL_TIMEOUT_S} s: the permission decision did not come (the permission framework, or the sign-in service it asks about users, is slow or unavailable). Nothing was done. Retry in a minute.`,
            withinBound: true,
          },
          {
            what: 'user tools/list',
            outcome: expect.stringMatching(
              new RegExp(
                `^rejected: (MCP error -32603: )?Could not decide within ${CALL_TIMEOUT_S} s which tools you may use: .* Retry in a minute\\.$`,
              ),
            ),
            withinBound: true,
          },
        ]);
        for (const { what, ms, outcome } of answered) {
          expect({ what, withinBound: ms <= boundOf(what), outcome }).toEqual({
            what,
            withinBound: true,
            outcome: expect.stringMatching(
              WITHOUT_DATABASE.includes(what)
                ? ANSWERS_WITH_DATABASE[what] ?? /^ok$/
                : timeoutMessage(what),
            ),
          });
        }
      }
      expect(recovered).toBe('ok');
      expectWorking(after);
      expect(userAfter.outcome).toBe('ok');
    } finally {
      await Promise.all(clients.map(client => client.close()));
    }
  }, 300_000);
});
