import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { isInputRequiredResult } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { catalogEntities } from '../../__testUtils__/entities';
import {
  TEST_SECRET_ENTRY_URL,
  templateRunsForTests,
} from '../../__testUtils__/templateRuns';
import {
  expectEveryPropertyDescribed,
  expectInputIssue,
  expectUnknownKeyRejected,
  listedDefinition,
  noClientInteraction,
} from '../../__testUtils__/toolTesting';
import { McpClientInteraction, McpTool, McpToolCallContext } from '../types';
import {
  docsTemplate,
  fakeGetTemplateParameterSchema,
  nodejsTemplate,
  repoTemplate,
  TEMPLATE_REFS,
} from './__fixtures__/templates';
import { SECRETS_REQUEST, VALUES_REQUEST } from './runInputs';
import { SecretRequestStore } from './secretRequests';
import { createScaffolderRunTemplateTool } from './scaffolderRunTemplate';
import { logEvent, makeTask, TASK_ID } from './taskFixtures';

const alice = mockCredentials.user('user:default/alice');
const SECRET = 'hunter2-docs-host-token';
const NODE_VALUES = {
  name: 'gift-card',
  owner: 'group:default/team-a',
  system: 'system:default/payments',
};
const DOCS_VALUES = { name: 'team-docs', owner: 'group:default/team-a' };
/** What the form would submit: the values with the template's defaults. */
const NODE_SUBMITTED = {
  ...NODE_VALUES,
  lifecycle: 'experimental',
  includeDocs: true,
};
const DOCS_SUBMITTED = { ...DOCS_VALUES, waitSeconds: 1 };

function setup(options: Parameters<typeof templateRunsForTests>[0] = {}) {
  const catalog = catalogServiceMock({
    entities: [
      ...catalogEntities(),
      nodejsTemplate,
      docsTemplate,
      repoTemplate,
    ],
  });
  const scaffolder = scaffolderServiceMock.mock({
    getTemplateParameterSchema: jest.fn(fakeGetTemplateParameterSchema),
    scaffold: jest.fn(async () => ({ taskId: TASK_ID })),
  });
  const runs = templateRunsForTests(options);
  const tool = createScaffolderRunTemplateTool({
    catalog,
    scaffolder,
    ...runs,
  });
  return {
    tool,
    scaffolder,
    secretRequests: runs.secretRequests,
    taskStarts: runs.taskStarts,
  };
}

function interaction(
  overrides: Partial<McpClientInteraction> = {},
): McpClientInteraction {
  return { ...noClientInteraction, ...overrides };
}

async function run(
  tool: McpTool,
  args: Record<string, unknown>,
  options: {
    credentials?: BackstageCredentials;
    interaction?: McpClientInteraction;
    client?: McpToolCallContext['client'];
  } = {},
): Promise<any> {
  const output = await tool.handle(tool.inputSchema.parse(args), {
    credentials: options.credentials ?? alice,
    caller: options.credentials ?? alice,
    listAllowedToolNames: () => [],
    interaction: options.interaction ?? noClientInteraction,
    client: options.client,
  });
  return isInputRequiredResult(output)
    ? output
    : tool.outputSchema.parse(output);
}

describe('scaffolder_run_template', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input, and says honestly that it writes and is not idempotent', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'ref',
      'values',
      'wait',
      'wait_seconds',
      'secret_request',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(tool.annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(tool.opaqueInputs).toEqual(['values']);
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
      'scaffolder.template.parameter.read',
      'scaffolder.template.step.read',
      'scaffolder.task.create',
      'scaffolder.task.read',
      'mcp.template.run',
    ]);
  });

  it('rejects bad arguments by their schema', () => {
    const { tool } = setup();
    expectInputIssue(tool, { ref: 'nodejs-service', wait_seconds: 301 }, [
      'wait_seconds',
    ]);
    expectInputIssue(
      tool,
      { ref: 'nodejs-service', secret_request: 'not-a-uuid' },
      ['secret_request'],
    );
    expectUnknownKeyRejected(
      tool,
      { ref: 'nodejs-service', value: {} },
      'value',
    );
  });

  it('starts a task with valid values and the defaults, and returns its id at once', async () => {
    const { tool, scaffolder } = setup();
    const result = await run(tool, {
      ref: 'nodejs-service',
      values: NODE_VALUES,
    });
    expect(scaffolder.scaffold).toHaveBeenCalledWith(
      {
        templateRef: TEMPLATE_REFS.nodejs,
        values: NODE_SUBMITTED,
        secrets: undefined,
      },
      { credentials: alice },
    );
    expect(result).toEqual({
      task_id: TASK_ID,
      template_ref: TEMPLATE_REFS.nodejs,
      status: 'open',
      finished: false,
      next_step: expect.stringContaining(
        `scaffolder_get_task {"task_id": "${TASK_ID}"}`,
      ),
    });
  });

  it('records which agent started a task, since the scaffolder records creators only for users', async () => {
    const agent = mockCredentials.service('demo-agent');
    const { tool, taskStarts } = setup();
    await run(
      tool,
      { ref: 'nodejs-service', values: NODE_VALUES },
      { credentials: agent },
    );
    expect(await taskStarts.startedBy(TASK_ID)).toBe('demo-agent');

    const asUser = setup();
    await run(asUser.tool, { ref: 'nodejs-service', values: NODE_VALUES });
    expect(await asUser.taskStarts.startedBy(TASK_ID)).toBeUndefined();
  });

  it.each([
    [
      'an invalid value',
      { ...NODE_VALUES, name: 'Not Valid!' },
      'name must match pattern',
    ],
    [
      'an unknown field',
      { ...NODE_VALUES, colour: 'blue' },
      'colour The template has no such parameter',
    ],
    [
      'a missing value',
      { name: 'gift-card' },
      'owner is required; system is required',
    ],
  ])(
    'refuses %s with a field report and runs nothing',
    async (_case, values, report) => {
      const { tool, scaffolder } = setup();
      await expect(
        run(tool, { ref: 'nodejs-service', values }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'InputError',
          message: expect.stringContaining(report),
        }),
      );
      expect(scaffolder.scaffold).not.toHaveBeenCalled();
    },
  );

  it('refuses a secret passed as a value without echoing it', async () => {
    const { tool, scaffolder } = setup();
    const error = await run(tool, {
      ref: 'docs-site',
      values: { ...DOCS_VALUES, apiToken: SECRET },
    }).catch(e => e);
    expect(error.message).toContain('apiToken This is a secret field');
    expect(error.message).not.toContain(SECRET);
    expect(scaffolder.scaffold).not.toHaveBeenCalled();
  });

  describe('with form elicitation (2026-07-28 clients)', () => {
    const formClient = interaction({ elicitation: { form: true, url: false } });

    it('asks the user for missing values, then runs with their answers', async () => {
      const { tool, scaffolder } = setup();
      const asked = await run(
        tool,
        { ref: 'nodejs-service', values: { name: 'gift-card' } },
        { interaction: formClient },
      );
      expect(asked.resultType).toBe('input_required');
      const request = asked.inputRequests[VALUES_REQUEST];
      expect(request.method).toBe('elicitation/create');
      expect(request.params.requestedSchema).toEqual({
        type: 'object',
        properties: {
          owner: expect.objectContaining({ type: 'string', title: 'Owner' }),
          system: expect.objectContaining({ type: 'string', title: 'System' }),
        },
        required: ['owner', 'system'],
      });
      expect(scaffolder.scaffold).not.toHaveBeenCalled();

      const answered = interaction({
        ...formClient,
        inputResponses: {
          [VALUES_REQUEST]: {
            action: 'accept',
            content: {
              owner: 'group:default/team-a',
              system: 'system:default/payments',
              name: 'overridden',
            },
          },
        },
      });
      await run(
        tool,
        { ref: 'nodejs-service', values: { name: 'gift-card' } },
        { interaction: answered },
      );
      expect(scaffolder.scaffold).toHaveBeenCalledWith(
        expect.objectContaining({ values: NODE_SUBMITTED }),
        { credentials: alice },
      );
    });

    it('runs nothing when the user declines', async () => {
      const { tool, scaffolder } = setup();
      const declined = interaction({
        ...formClient,
        inputResponses: { [VALUES_REQUEST]: { action: 'decline' } },
      });
      await expect(
        run(
          tool,
          { ref: 'nodejs-service', values: { name: 'gift-card' } },
          { interaction: declined },
        ),
      ).rejects.toThrow('did not fill in the missing values');
      expect(scaffolder.scaffold).not.toHaveBeenCalled();
    });

    it('does not ask for values that are invalid rather than missing', async () => {
      const { tool } = setup();
      await expect(
        run(
          tool,
          { ref: 'nodejs-service', values: { name: 'Bad!' } },
          { interaction: formClient },
        ),
      ).rejects.toThrow('name must match pattern');
    });
  });

  describe('secrets', () => {
    const ALICE_AT_PORTAL = {
      userEntityRef: 'user:default/alice',
      ownershipEntityRefs: ['user:default/alice'],
    };
    const waitingForAlice = async (store: SecretRequestStore) =>
      (await store.waitingFor(ALICE_AT_PORTAL)).requests;

    it('without URL elicitation, gives the link (and no id) and runs with the entered secret on the next call', async () => {
      const { tool, scaffolder, secretRequests } = setup();
      const error = await run(tool, {
        ref: 'docs-site',
        values: DOCS_VALUES,
      }).catch(e => e);
      expect(error.name).toBe('InputError');
      expect(error.message).toContain('needs secrets (apiToken)');
      expect(error.message).toContain(
        `Ask the user to open ${TEST_SECRET_ENTRY_URL}, signed in to the portal as user:default/alice`,
      );
      expect(error.message).toContain(
        'call scaffolder_run_template again with the same arguments',
      );
      // The request id is no capability any more, but stays out of the model's text and the audit trail.
      expect(error.message).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(scaffolder.scaffold).not.toHaveBeenCalled();

      // Asking again before the user entered anything reuses the request.
      await expect(
        run(tool, { ref: 'docs-site', values: DOCS_VALUES }),
      ).rejects.toThrow('needs secrets');
      const [pending] = await waitingForAlice(secretRequests);
      expect(await waitingForAlice(secretRequests)).toHaveLength(1);
      expect(pending).toMatchObject({
        principal: 'user:default/alice',
        entrants: ['user:default/alice'],
        templateRef: TEMPLATE_REFS.docs,
        templateTitle: 'Documentation site',
      });

      await secretRequests.fulfil(
        pending.id,
        { apiToken: SECRET },
        ALICE_AT_PORTAL,
      );
      const result = await run(tool, { ref: 'docs-site', values: DOCS_VALUES });

      expect(result.task_id).toBe(TASK_ID);
      expect(scaffolder.scaffold).toHaveBeenCalledWith(
        {
          templateRef: TEMPLATE_REFS.docs,
          values: { ...DOCS_SUBMITTED, apiToken: '*'.repeat(SECRET.length) },
          secrets: { apiToken: SECRET },
        },
        { credentials: alice },
      );
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(await secretRequests.get(pending.id)).toBeUndefined();

      // One run per entry: the next run asks anew.
      await expect(
        run(tool, { ref: 'docs-site', values: DOCS_VALUES }),
      ).rejects.toThrow('needs secrets');
      expect(scaffolder.scaffold).toHaveBeenCalledTimes(1);
    });

    it('still accepts a secret_request id kept from earlier versions', async () => {
      const { tool, scaffolder, secretRequests } = setup();
      await run(tool, { ref: 'docs-site', values: DOCS_VALUES }).catch(
        () => undefined,
      );
      const [pending] = await waitingForAlice(secretRequests);
      await secretRequests.fulfil(
        pending.id,
        { apiToken: SECRET },
        ALICE_AT_PORTAL,
      );
      await run(tool, {
        ref: 'docs-site',
        values: DOCS_VALUES,
        secret_request: pending.id,
      });
      expect(scaffolder.scaffold).toHaveBeenCalledWith(
        expect.objectContaining({ secrets: { apiToken: SECRET } }),
        { credentials: alice },
      );
    });

    it('with URL elicitation, asks the client to open the page, naming who signs in, and carries the request in requestState', async () => {
      const { tool, scaffolder, secretRequests } = setup();
      const urlClient = interaction({ elicitation: { form: true, url: true } });
      const asked = await run(
        tool,
        { ref: 'docs-site', values: DOCS_VALUES },
        {
          interaction: urlClient,
          client: { name: 'Claude\u202e Code\u0007', version: '2.1.0' },
        },
      );
      const request = asked.inputRequests[SECRETS_REQUEST];
      expect(request.params).toMatchObject({
        mode: 'url',
        url: TEST_SECRET_ENTRY_URL,
      });
      expect(request.params.message).toContain(
        'signed in as user:default/alice',
      );
      expect(Object.keys(asked.inputRequests)).toEqual([SECRETS_REQUEST]);
      // The page shows the client as it named itself, without characters that hide or reorder text.
      expect((await secretRequests.get(asked.requestState))?.client).toEqual({
        name: 'Claude Code',
        version: '2.1.0',
      });

      await secretRequests.fulfil(
        asked.requestState,
        { apiToken: SECRET },
        ALICE_AT_PORTAL,
      );
      await run(
        tool,
        { ref: 'docs-site', values: DOCS_VALUES },
        {
          interaction: interaction({
            ...urlClient,
            requestState: asked.requestState,
            inputResponses: { [SECRETS_REQUEST]: { action: 'accept' } },
          }),
        },
      );
      expect(scaffolder.scaffold).toHaveBeenCalledWith(
        expect.objectContaining({ secrets: { apiToken: SECRET } }),
        { credentials: alice },
      );
    });

    it('asks for missing values and secrets in one round', async () => {
      const { tool } = setup();
      const asked = await run(
        tool,
        { ref: 'docs-site', values: { name: 'team-docs' } },
        {
          interaction: interaction({ elicitation: { form: true, url: true } }),
        },
      );
      expect(Object.keys(asked.inputRequests).sort()).toEqual(
        [SECRETS_REQUEST, VALUES_REQUEST].sort(),
      );
      expect(asked.requestState).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('says clearly when the secrets were sealed by a replica with another key, and runs nothing', async () => {
      const { tool, secretRequests } = setup();
      await run(tool, { ref: 'docs-site', values: DOCS_VALUES }).catch(
        () => undefined,
      );
      const [pending] = await waitingForAlice(secretRequests);
      await secretRequests.fulfil(
        pending.id,
        { apiToken: SECRET },
        ALICE_AT_PORTAL,
      );
      const otherReplica = setup({
        secretCache: (secretRequests as any).cache,
      });
      const failure = await run(otherReplica.tool, {
        ref: 'docs-site',
        values: DOCS_VALUES,
      }).catch(e => e);
      expect(failure).toMatchObject({
        name: 'ServiceUnavailableError',
        message: expect.stringContaining(
          'every replica needs the same mcp.secretEntry.encryptionKey',
        ),
      });
      expect(failure.message).not.toContain(SECRET);
      expect(otherReplica.scaffolder.scaffold).not.toHaveBeenCalled();
    });

    it("never uses another principal's secrets, with or without its id", async () => {
      const { tool, scaffolder, secretRequests } = setup();
      await run(tool, { ref: 'docs-site', values: DOCS_VALUES }).catch(
        () => undefined,
      );
      const [pending] = await waitingForAlice(secretRequests);
      await secretRequests.fulfil(
        pending.id,
        { apiToken: SECRET },
        ALICE_AT_PORTAL,
      );
      const mallory = {
        credentials: mockCredentials.user('user:default/mallory'),
      };
      await expect(
        run(
          tool,
          { ref: 'docs-site', values: DOCS_VALUES, secret_request: pending.id },
          mallory,
        ),
      ).rejects.toThrow(expect.objectContaining({ name: 'NotAllowedError' }));
      await expect(
        run(tool, { ref: 'docs-site', values: DOCS_VALUES }, mallory),
      ).rejects.toThrow('signed in to the portal as user:default/mallory');
      expect(scaffolder.scaffold).not.toHaveBeenCalled();
    });

    const bot = mockCredentials.service('release-bot');

    it('refuses a static-token agent that no administrator allowed to ask for secrets, asking nobody', async () => {
      const { tool, scaffolder, secretRequests } = setup();
      const error = await run(
        tool,
        { ref: 'docs-site', values: DOCS_VALUES },
        { credentials: bot },
      ).catch(e => e);
      expect(error).toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          'agent "release-bot" (a static token) may not ask anyone for them',
        ),
      });
      expect(error.message).toContain('mcp.agents[].secretEntry.enteredBy');
      expect(
        await secretRequests.latestFor(
          'service:release-bot',
          TEMPLATE_REFS.docs,
        ),
      ).toBeUndefined();
      expect(scaffolder.scaffold).not.toHaveBeenCalled();
    });

    it('lets a static-token agent ask the people an administrator named', async () => {
      const agents = new Map([
        [
          'release-bot',
          {
            secretEntry: {
              enteredBy: ['group:default/sre', 'user:default/jane'],
            },
          },
        ],
      ]);
      const { tool, secretRequests } = setup({ agents });
      const error = await run(
        tool,
        { ref: 'docs-site', values: DOCS_VALUES },
        { credentials: bot },
      ).catch(e => e);
      expect(error.message).toContain(
        'signed in to the portal as a member of group:default/sre or user:default/jane',
      );
      expect(
        (
          await secretRequests.latestFor(
            'service:release-bot',
            TEMPLATE_REFS.docs,
          )
        )?.entrants,
      ).toEqual(['group:default/sre', 'user:default/jane']);
      // mcp.defaultAgent serves agents that are not listed.
      const viaDefault = setup({
        defaultAgent: { secretEntry: { enteredBy: ['group:default/sre'] } },
      });
      await expect(
        run(
          viaDefault.tool,
          { ref: 'docs-site', values: DOCS_VALUES },
          { credentials: bot },
        ),
      ).rejects.toThrow('a member of group:default/sre');
    });
  });

  describe('template allowlists', () => {
    it('asks the permission framework about mcp.template.run on the template', async () => {
      const permissions = mockServices.permissions.mock({
        authorize: jest.fn(async () => [{ result: AuthorizeResult.DENY }]),
      });
      const { tool, scaffolder } = setup({ permissions });
      await expect(
        run(tool, { ref: 'nodejs-service', values: NODE_VALUES }),
      ).rejects.toThrow(
        expect.objectContaining({
          name: 'NotAllowedError',
          message: expect.stringContaining('mcp.template.run'),
        }),
      );
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({ name: 'mcp.template.run' }),
            resourceRef: TEMPLATE_REFS.nodejs,
          },
        ],
        { credentials: alice },
      );
      expect(scaffolder.scaffold).not.toHaveBeenCalled();
    });

    const agents = new Map([
      [
        'release-bot',
        { templates: ['tag:nodejs', 'template:default/repo-service'] },
      ],
    ]);
    const bot = mockCredentials.service('release-bot');

    it.each([
      ['a template with an allowed tag', 'nodejs-service'],
      ['a template allowed by ref', 'repo-service'],
    ])(
      'lets a static-token agent past its allowlist: %s',
      async (_case, ref) => {
        const { tool } = setup({ agents });
        // Past the gate, the incomplete values are what stops it.
        await expect(
          run(tool, { ref, values: { name: 'x' } }, { credentials: bot }),
        ).rejects.toThrow('nothing was run');
      },
    );

    it("refuses a template outside a static-token agent's allowlist", async () => {
      const { tool, scaffolder } = setup({ agents });
      await expect(
        run(
          tool,
          { ref: 'docs-site', values: DOCS_VALUES },
          { credentials: bot },
        ),
      ).rejects.toThrow("is not on this agent's template allowlist");
      expect(scaffolder.scaffold).not.toHaveBeenCalled();
    });
  });

  describe('with wait', () => {
    it('follows the task to its end, reporting progress per step', async () => {
      const { tool, scaffolder } = setup();
      const steps = [
        { id: 'log', name: 'Log request', action: 'debug:log' },
        { id: 'wait', name: 'Simulate publishing', action: 'debug:wait' },
      ];
      const spec = { ...makeTask().spec, steps };
      const batches = [
        [logEvent(1, 'Starting', { stepId: 'log', status: 'processing' })],
        [
          logEvent(2, 'Done', { stepId: 'log', status: 'completed' }),
          logEvent(3, 'Waiting', { stepId: 'wait', status: 'processing' }),
        ],
        [
          logEvent(4, 'Waited', { stepId: 'wait', status: 'completed' }),
          logEvent(
            5,
            'Finished',
            {
              output: {
                links: [{ title: 'Site', url: 'https://example.com/site' }],
              },
            },
            'completion',
          ),
        ],
      ];
      scaffolder.getLogs.mockImplementation(
        async ({ after }: { after?: number }) =>
          batches.find(batch => batch[0].id > (after ?? 0)) ?? [],
      );
      let polls = 0;
      scaffolder.getTask.mockImplementation(async () =>
        makeTask({ spec, status: ++polls >= 4 ? 'completed' : 'processing' }),
      );
      const progress: unknown[] = [];
      const result = await run(
        tool,
        { ref: 'nodejs-service', values: NODE_VALUES, wait: true },
        {
          interaction: interaction({
            reportProgress: async update => void progress.push(update),
          }),
        },
      );

      expect(result).toMatchObject({
        task_id: TASK_ID,
        status: 'completed',
        finished: true,
        steps: [
          { id: 'log', status: 'completed' },
          { id: 'wait', status: 'completed' },
        ],
        output: { links: [{ title: 'Site', url: 'https://example.com/site' }] },
        next_step: expect.stringContaining('output links'),
      });
      expect(progress).toEqual([
        { progress: 0, total: 2, message: 'task processing' },
        { progress: 0, total: 2, message: 'Log request: processing' },
        { progress: 1, total: 2, message: 'Simulate publishing: processing' },
        { progress: 2, total: 2, message: 'task completed' },
      ]);
      expect(scaffolder.getLogs).toHaveBeenCalledWith(
        { taskId: TASK_ID, after: 3 },
        { credentials: alice },
      );
    });

    it('returns a still-running task when the time budget runs out', async () => {
      const { tool, scaffolder } = setup();
      scaffolder.getTask.mockResolvedValue(makeTask({ status: 'processing' }));
      scaffolder.getLogs.mockImplementation(() => new Promise(() => {}));
      const started = Date.now();
      const result = await run(tool, {
        ref: 'nodejs-service',
        values: NODE_VALUES,
        wait: true,
        wait_seconds: 1,
      });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(result).toMatchObject({
        status: 'processing',
        finished: false,
        next_step: expect.stringContaining('still processing after 1 s'),
      });
    });

    it('summarizes a failed task', async () => {
      const { tool, scaffolder } = setup();
      scaffolder.getTask.mockResolvedValue(makeTask({ status: 'failed' }));
      scaffolder.getLogs.mockResolvedValue([
        logEvent(1, 'Publishing failed: repository exists', {
          stepId: 'publish',
          status: 'failed',
        }),
      ]);
      const result = await run(tool, {
        ref: 'nodejs-service',
        values: NODE_VALUES,
        wait: true,
      });
      expect(result).toMatchObject({
        status: 'failed',
        finished: true,
        error: {
          step_id: 'publish',
          messages: ['Publishing failed: repository exists'],
        },
        next_step: expect.stringContaining('scaffolder_retry_task'),
      });
    });
  });

  it('reports a cancelled run as cancelled, as the scaffolder ends it failed', async () => {
    const { tool, scaffolder } = setup();
    scaffolder.getTask.mockResolvedValue(makeTask({ status: 'failed' }));
    scaffolder.getLogs.mockResolvedValue([
      logEvent(
        1,
        'Step publish has been cancelled.',
        { stepId: 'publish', status: 'cancelled' },
        'cancelled',
      ),
    ]);
    const result = await run(tool, {
      ref: 'nodejs-service',
      values: NODE_VALUES,
      wait: true,
    });
    expect(result).toMatchObject({
      status: 'cancelled',
      finished: true,
      next_step: 'The task ended cancelled',
    });
    expect(result.error).toBeUndefined();
  });
});
