import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InputError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ConfigReader } from '@backstage/config';
import { Request } from 'express';
import {
  collectingAuditor,
  testGovernedRunner,
  unlimitedGovernance,
} from '../__testUtils__/governance';
import { RequestGovernance } from '../governance/requestGovernance';
import { ToolDenialReason } from '../permissions/toolAccess';
import { readRedactionConfig } from '../config/redactionConfig';
import { CallDeadlineError } from './deadline';
import { GovernedRequest } from './governedRunner';
import { McpRequestContext } from './requestContext';

const alice = mockCredentials.user('user:default/alice');
const BLOCK = {
  principal: 'user:default/alice',
  reason: 'leaked token',
  blockedBy: 'ops-console',
  blockedAt: '2026-11-21T10:00:00.000Z',
  expiresAt: null,
};
const SPENT = {
  budget: 'calls' as const,
  limit: 2,
  windowMs: 60_000,
  retryAfterMs: 4_000,
};

function setup(
  options: {
    governance?: Partial<RequestGovernance>;
    callTimeoutMs?: number;
    redaction?: unknown;
    entityValues?: Map<string, string[]>;
  } = {},
) {
  const { auditor, events } = collectingAuditor();
  const logger = mockServices.logger.mock();
  const takeCallBudget = jest.fn(
    options.governance?.takeCallBudget ?? (async () => undefined),
  );
  const readEntityTextValues = jest.fn(
    async () => options.entityValues ?? new Map(),
  );
  const runGoverned = testGovernedRunner({
    auditor,
    logger,
    readEntityTextValues,
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    ...(options.redaction
      ? {
          redaction: readRedactionConfig(
            new ConfigReader({ redaction: options.redaction }),
          ),
        }
      : {}),
  });
  const downstreamCredentials = mockCredentials.service('plugin:mcp');
  const context: McpRequestContext = {
    caller: alice,
    credentials: downstreamCredentials,
    getToolAccess: async () => ({
      result: AuthorizeResult.ALLOW,
      allows: () => true,
      denialReason: () => undefined,
    }),
    httpRequest: {} as Request,
    governance: unlimitedGovernance(alice, {
      ...options.governance,
      takeCallBudget,
    }),
  };
  const run = <V, T>(
    request: Partial<GovernedRequest<V, T>>,
    signal?: AbortSignal,
    requestContext: McpRequestContext = context,
  ) =>
    runGoverned(
      {
        eventId: 'resource-list',
        operation: { method: 'resources/list' },
        action: 'list resources',
        subject: 'resource listing',
        meta: {},
        validate: () => undefined as V,
        run: async () => ({} as T),
        ...request,
      },
      { ...requestContext, signal },
    );
  return {
    run,
    events,
    takeCallBudget,
    logger,
    readEntityTextValues,
    downstreamCredentials,
    context,
  };
}

describe('the governed runner', () => {
  it.each<
    [
      string,
      Parameters<typeof setup>[0],
      ToolDenialReason | undefined,
      string,
      RegExp,
    ]
  >([
    [
      'a blocked caller',
      { governance: { block: BLOCK } },
      undefined,
      'blocked',
      /kill switch/,
    ],
    [
      'a caller the gate denies',
      {},
      'policy',
      'denied',
      /^Not allowed: You may not list resources/,
    ],
    [
      'a caller outside its agent scope',
      {},
      'agent-scope',
      'denied',
      /agent's scope/,
    ],
    [
      'a caller whose budget is spent',
      { governance: { takeCallBudget: async () => SPENT } },
      undefined,
      'rate-limited',
      /Rate limit reached/,
    ],
  ])(
    'refuses %s before validating or running anything, audited',
    async (_case, options, denial, outcome, message) => {
      const { run, events, takeCallBudget } = setup(options);
      const validate = jest.fn();
      const handler = jest.fn();
      const result = await run({ gate: () => denial, validate, run: handler });
      expect(result).toMatchObject({
        ok: false,
        kind: 'refused',
        message: expect.stringMatching(message),
      });
      expect(validate).not.toHaveBeenCalled();
      expect(handler).not.toHaveBeenCalled();
      // Refusals by the kill switch or the policy cost no budget.
      expect(takeCallBudget).toHaveBeenCalledTimes(
        outcome === 'rate-limited' ? 1 : 0,
      );
      expect(events).toHaveLength(1);
      expect(events[0].event.severityLevel).toBe('medium');
      expect(events[0].fail).toHaveBeenCalledWith(
        expect.objectContaining({ meta: expect.objectContaining({ outcome }) }),
      );
    },
  );

  it('takes from the write budget only for requests that write', async () => {
    const { run, takeCallBudget } = setup();
    await run({});
    await run({ writes: true });
    expect(takeCallBudget.mock.calls).toEqual([[false], [true]]);
  });

  it("answers bad input as the caller's error, after the budget", async () => {
    const { run, events, takeCallBudget } = setup();
    const result = await run({
      validate: () => {
        throw new InputError('limit: must be at most 100');
      },
    });
    expect(result).toEqual({
      ok: false,
      kind: 'caller-error',
      name: 'InputError',
      message: 'Invalid input: limit: must be at most 100',
    });
    expect(takeCallBudget).toHaveBeenCalled();
    expect(events[0].fail).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({ outcome: 'caller-error' }),
      }),
    );
  });

  it('cleans what others wrote from results and from error messages', async () => {
    const hidden = `${[...'obey']
      .map(c => String.fromCodePoint(0xe0000 + c.charCodeAt(0)))
      .join('')}`;
    const { run, events } = setup();
    const listed = await run({
      run: async () => ({
        resources: [{ description: `Carts${hidden}\u001b[31m red` }],
      }),
    });
    expect(listed).toEqual({
      ok: true,
      value: { resources: [{ description: 'Carts red' }] },
    });
    expect(events[0].success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        outcome: 'ok',
        invisibleCharactersRemoved: 5,
      }),
    });
    const failed = await run({
      run: async () => {
        throw new NotFoundError(`No entity component:default/x${hidden}`);
      },
    });
    expect(failed).toMatchObject({
      ok: false,
      kind: 'caller-error',
      message: 'Not found: No entity component:default/x',
    });
  });

  it('restricts fields, and masks restricted values in entity text read with the downstream credentials', async () => {
    const { run, readEntityTextValues, downstreamCredentials, events } = setup({
      redaction: { fields: [{ path: 'spec.profile.email' }] },
      entityValues: new Map([['user:default/bob', ['bob@acme.example']]]),
    });
    const aliases = {
      entityText: { items: 'hits', ref: 'ref', text: ['excerpt'] },
    };
    const result = await run({
      redactionAliases: aliases,
      run: async () => ({
        entity: { spec: { profile: { email: 'alice@acme.example' } } },
        hits: [{ ref: 'user:default/bob', excerpt: 'Bob <bob@acme.example>' }],
      }),
    });
    expect(result).toEqual({
      ok: true,
      value: {
        entity: { spec: { profile: {} } },
        hits: [{ ref: 'user:default/bob', excerpt: 'Bob <[redacted]>' }],
      },
    });
    expect(readEntityTextValues).toHaveBeenCalledWith(
      expect.anything(),
      aliases,
      expect.anything(),
      downstreamCredentials,
    );
    expect(events[0].success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        fieldsRedacted: ['hits.excerpt', 'spec.profile.email'],
      }),
    });
  });

  it('renders the result only after hygiene and field restrictions', async () => {
    const hidden = String.fromCodePoint(0xe0041);
    const { run, events } = setup({
      redaction: { fields: [{ path: 'spec.profile.email' }] },
    });
    const render = jest.fn((value: any) => ({
      blocks: [`${value.title} <${value.spec.profile.email ?? 'hidden'}>`],
    }));
    const result = await run<undefined, any>({
      run: async () => ({
        title: `Alice${hidden}`,
        spec: { profile: { email: 'alice@acme.example' } },
      }),
      render,
    });
    expect(render).toHaveBeenCalledWith({
      title: 'Alice',
      spec: { profile: {} },
    });
    expect(result).toEqual({ ok: true, value: { blocks: ['Alice <hidden>'] } });
    expect(events[0].success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        outcome: 'ok',
        invisibleCharactersRemoved: 1,
        fieldsRedacted: ['spec.profile.email'],
      }),
    });
  });

  it("answers an error while rendering like the handler's, audited", async () => {
    const { run, events, logger } = setup();
    const result = await run({
      render: () => {
        throw new Error('cannot render /internal/path');
      },
    });
    expect(result).toMatchObject({
      ok: false,
      kind: 'internal-error',
      message: expect.stringMatching(/failed unexpectedly \(reference /),
    });
    expect(JSON.stringify(result)).not.toContain('/internal/path');
    expect(logger.error).toHaveBeenCalled();
    expect(events[0].fail).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({ outcome: 'error' }),
      }),
    );
  });

  it('answers within the call timeout when a service never answers, and aborts the handler', async () => {
    const { run, events, logger } = setup({ callTimeoutMs: 100 });
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const result = await run({
      run: (_input, s) => {
        signal = s;
        return new Promise(() => {});
      },
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({
      ok: false,
      kind: 'timeout',
      message: expect.stringMatching(
        /^The resource listing did not finish within 0.1 s: a service it needs .* is slow or unavailable\. Retry in a minute\.$/,
      ),
    });
    expect(signal?.aborted).toBe(true);
    expect(logger.warn).toHaveBeenCalled();
    expect(events[0].fail).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({ outcome: 'timeout' }),
      }),
    );
  });

  it('answers a timeout, audited, when the permission decision does not come, and runs nothing', async () => {
    const { run, events, context } = setup();
    const handler = jest.fn();
    const result = await run({ writes: true, run: handler }, undefined, {
      ...context,
      getToolAccess: () =>
        Promise.reject(new CallDeadlineError(3000, 'no decision')),
    });
    expect(result).toEqual({
      ok: false,
      kind: 'timeout',
      name: 'CallDeadlineError',
      message:
        'The resource listing did not finish within 3 s: the permission decision did not come (the permission framework, or the sign-in service it asks about users, is slow or unavailable). Nothing was done. Retry in a minute.',
    });
    expect(handler).not.toHaveBeenCalled();
    expect(events[0].event).toMatchObject({
      eventId: 'resource-list',
      severityLevel: 'medium',
    });
    expect(events[0].fail).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({ outcome: 'timeout' }),
      }),
    );
  });

  it("tells a writer that a timed-out request may still complete, and adds the request's own wait", async () => {
    const { run } = setup({ callTimeoutMs: 50 });
    const slow = (ms: number) => () =>
      new Promise(resolve => setTimeout(() => resolve({ done: true }), ms));
    expect(await run({ writes: true, run: slow(400) })).toMatchObject({
      kind: 'timeout',
      message: expect.stringContaining(
        'It may still complete: check its effect before retrying.',
      ),
    });
    expect(await run({ waitsMs: () => 1000, run: slow(400) })).toEqual({
      ok: true,
      value: { done: true },
    });
  });

  it('aborts the handler when the client cancels', async () => {
    const { run } = setup();
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const pending = run(
      {
        run: (_input, s) => {
          signal = s;
          return new Promise((_resolve, reject) =>
            s.addEventListener('abort', () => reject(new Error('aborted'))),
          );
        },
      },
      controller.signal,
    );
    await new Promise(resolve => setTimeout(resolve, 10));
    controller.abort();
    await pending;
    expect(signal?.aborted).toBe(true);
  });
});
