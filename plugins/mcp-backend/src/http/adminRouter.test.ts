import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import express from 'express';
import request from 'supertest';
import { principalOf } from '../governance/callerIdentity';
import { BlockList } from '../governance/blockList';
import { budgetsInForce } from '../governance/budgetsInForce';
import { createAdminRouter } from './adminRouter';

const MINUTE = 60_000;
/** mcp.rateLimits and mcp.agents as the demo configures them. */
const BUDGETS = budgetsInForce(
  {
    calls: { limit: 3000, windowMs: MINUTE },
    writes: { limit: 60, windowMs: MINUTE },
  },
  {
    agents: new Map([
      [
        'scoped-agent',
        { rateLimits: { calls: { limit: 300, windowMs: MINUTE } } },
      ],
      [
        'demo-agent',
        { rateLimits: { writes: { limit: 30, windowMs: MINUTE } } },
      ],
      ['catalog-reader-agent', { readOnly: true }],
    ]),
  },
);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Bearer tokens of the test, and whom they authenticate. */
const CALLERS: Record<string, BackstageCredentials> = {
  'ops-console-token': mockCredentials.service('ops-console', {
    permissionNames: ['mcp.admin'],
  }),
  'agent-token': mockCredentials.service('demo-agent'),
  'admin-token': mockCredentials.user('user:default/admin'),
  'guest-token': mockCredentials.user('user:default/guest'),
};
const ADMIN_TOKEN = 'Bearer ops-console-token';

function httpAuthForCallers() {
  const httpAuth = mockServices.httpAuth.mock();
  httpAuth.credentials.mockImplementation((async (req: express.Request) => {
    const credentials =
      CALLERS[req.headers.authorization?.replace(/^Bearer /, '') ?? ''];
    if (!credentials) throw new Error('no valid token');
    return credentials;
  }) as any);
  return httpAuth;
}

async function setup(
  policy: (user: string) => AuthorizeResult = () => AuthorizeResult.ALLOW,
) {
  const knex = await databases.init('SQLITE_3');
  const blockList = await BlockList.create({
    database: mockServices.database({ knex }),
    logger: mockServices.logger.mock(),
    scheduler: mockServices.scheduler.mock(),
    refreshIntervalMs: 60_000,
  });
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockImplementation(async (requests, { credentials }) =>
    requests.map(() => ({
      result: ((credentials.principal as { type: string }).type === 'user'
        ? policy(
            (credentials.principal as { userEntityRef: string }).userEntityRef,
          )
        : AuthorizeResult.ALLOW) as
        | AuthorizeResult.ALLOW
        | AuthorizeResult.DENY,
    })),
  );
  const auditor = mockServices.auditor.mock();
  const events: Array<{
    eventId: string;
    meta: any;
    outcome?: string;
    error?: Error;
  }> = [];
  auditor.createEvent.mockImplementation(async options => {
    const event: (typeof events)[number] = {
      eventId: options.eventId,
      meta: options.meta,
    };
    events.push(event);
    return {
      success: async () => void (event.outcome = 'success'),
      fail: async ({ error }) => {
        event.outcome = 'fail';
        event.error = error;
      },
    };
  });
  const logger = mockServices.logger.mock();
  const app = express().use(
    createAdminRouter({
      httpAuth: httpAuthForCallers(),
      permissions,
      auditor,
      logger,
      blockList,
      budgets: BUDGETS,
    }),
  );
  return { app, blockList, events, logger };
}

describe('the MCP admin endpoints', () => {
  it('blocks, lists and lifts a block for an administrator, auditing each action', async () => {
    const { app, blockList, events } = await setup();
    const principal = encodeURIComponent('user:default/guest');
    const blocked = await request(app)
      .put(`/admin/blocks/${principal}`)
      .set('Authorization', ADMIN_TOKEN)
      .send({ reason: 'runaway loop', expiresInSeconds: 3600 });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({
      principal: 'user:default/guest',
      reason: 'runaway loop',
      blockedBy: 'ops-console',
    });
    expect(
      Date.parse(blocked.body.expiresAt) - Date.parse(blocked.body.blockedAt),
    ).toBe(3600_000);
    expect(blockList.find('user:default/guest')).toBeDefined();

    const listed = await request(app)
      .get('/admin/blocks')
      .set('Authorization', ADMIN_TOKEN);
    expect(listed.body.items).toEqual([blocked.body]);

    expect(
      (
        await request(app)
          .delete(`/admin/blocks/${principal}`)
          .set('Authorization', ADMIN_TOKEN)
      ).status,
    ).toBe(204);
    expect(blockList.find('user:default/guest')).toBeUndefined();
    const again = await request(app)
      .delete(`/admin/blocks/${principal}`)
      .set('Authorization', ADMIN_TOKEN);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe('user:default/guest is not blocked');

    expect(
      events.map(e => [
        e.eventId,
        e.meta.action,
        e.meta.principal ?? null,
        e.outcome,
      ]),
    ).toEqual([
      ['mcp-admin', 'block', 'user:default/guest', 'success'],
      ['mcp-admin', 'list-blocks', null, 'success'],
      ['mcp-admin', 'unblock', 'user:default/guest', 'success'],
      ['mcp-admin', 'unblock', 'user:default/guest', 'fail'],
    ]);
    expect(events[0].meta.reason).toBe('runaway loop');
  });

  it("answers the budgets in force: the portal's and each agent's own, merged with the portal's", async () => {
    const { app, events } = await setup();
    const response = await request(app)
      .get('/admin/budgets')
      .set('Authorization', ADMIN_TOKEN);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      portal: {
        calls: { limit: 3000, windowMs: MINUTE },
        writes: { limit: 60, windowMs: MINUTE },
      },
      // Sorted by subject; an agent without budgets of its own is not listed.
      agents: [
        {
          subject: 'demo-agent',
          budgets: {
            calls: { limit: 3000, windowMs: MINUTE },
            writes: { limit: 30, windowMs: MINUTE },
          },
        },
        {
          subject: 'scoped-agent',
          budgets: {
            calls: { limit: 300, windowMs: MINUTE },
            writes: { limit: 60, windowMs: MINUTE },
          },
        },
      ],
    });
    expect(events).toEqual([
      expect.objectContaining({
        eventId: 'mcp-admin',
        meta: { action: 'list-budgets' },
        outcome: 'success',
      }),
    ]);
  });

  it('answers the budgets to administrators only', async () => {
    const { app } = await setup(() => AuthorizeResult.DENY);
    const response = await request(app)
      .get('/admin/budgets')
      .set('Authorization', 'Bearer guest-token');
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(
      /permission policy denies mcp.admin/,
    );
    expect(response.body.portal).toBeUndefined();
  });

  it.each([
    ['no token', undefined, 401, /Authorization: Bearer/],
    [
      'an unrestricted service token (an agent)',
      'Bearer agent-token',
      403,
      /accessRestrictions for the plugin "mcp" must name mcp.admin/,
    ],
    [
      'a user the policy denies',
      'Bearer guest-token',
      403,
      /permission policy denies mcp.admin/,
    ],
  ])(
    'refuses %s and audits the refusal',
    async (_case, token, status, message) => {
      const { app, blockList, events } = await setup(user =>
        user === 'user:default/admin'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      );
      const call = request(app)
        .put('/admin/blocks/other-agent')
        .send({ reason: 'x' });
      const response = await (token ? call.set('Authorization', token) : call);
      expect(response.status).toBe(status);
      expect(response.body.error.message).toMatch(message);
      expect(blockList.find('other-agent')).toBeUndefined();
      expect(events).toEqual([
        expect.objectContaining({ eventId: 'mcp-admin', outcome: 'fail' }),
      ]);
    },
  );

  it('lets a user administrator in, but never one who is blocked, nor blocking oneself', async () => {
    const { app, blockList } = await setup(user =>
      user === 'user:default/admin'
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    );
    const admin = 'Bearer admin-token';
    const self = await request(app)
      .put(`/admin/blocks/${encodeURIComponent('user:default/admin')}`)
      .set('Authorization', admin)
      .send({ reason: 'oops' });
    expect(self.status).toBe(400);
    expect(self.body.error.message).toBe('You cannot block yourself');

    await blockList.block({
      principal: 'user:default/admin',
      reason: 'compromised',
      blockedBy: 'ops-console',
      blockedAt: new Date().toISOString(),
      expiresAt: null,
    });
    const lift = await request(app)
      .delete(`/admin/blocks/${encodeURIComponent('user:default/admin')}`)
      .set('Authorization', admin);
    expect(lift.status).toBe(403);
    expect(lift.body.error.message).toMatch(
      /is blocked from MCP and cannot administer it/,
    );
    expect(blockList.find('user:default/admin')).toBeDefined();
  });

  it('blocks a user named in any case as the one user Backstage sees, and lifts it in any case', async () => {
    const { app, blockList, events } = await setup();
    const blocked = await request(app)
      .put(`/admin/blocks/${encodeURIComponent('User:Development/Guest')}`)
      .set('Authorization', ADMIN_TOKEN)
      .send({ reason: 'scraping' });
    expect(blocked.status).toBe(200);
    expect(blocked.body.principal).toBe('user:development/guest');
    // Whatever case the sign-in resolver issued the ref in.
    for (const ref of [
      'user:development/guest',
      'User:Development/Guest',
      'USER:development/GUEST',
    ]) {
      expect(
        blockList.find(principalOf(mockCredentials.user(ref))),
      ).toMatchObject({ reason: 'scraping' });
    }
    expect(events[0].meta.principal).toBe('user:development/guest');

    const lifted = await request(app)
      .delete(`/admin/blocks/${encodeURIComponent('user:DEVELOPMENT/guest')}`)
      .set('Authorization', ADMIN_TOKEN);
    expect(lifted.status).toBe(204);
    expect(blockList.find('user:development/guest')).toBeUndefined();
  });

  it('compares service subjects exactly', async () => {
    const { app, blockList } = await setup();
    const put = await request(app)
      .put('/admin/blocks/Release-Bot')
      .set('Authorization', ADMIN_TOKEN)
      .send({ reason: 'loop' });
    expect(put.status).toBe(200);
    expect(put.body.principal).toBe('Release-Bot');
    expect(
      blockList.find(principalOf(mockCredentials.service('Release-Bot'))),
    ).toBeDefined();
    expect(
      blockList.find(principalOf(mockCredentials.service('release-bot'))),
    ).toBeUndefined();
    const wrongCase = await request(app)
      .delete('/admin/blocks/release-bot')
      .set('Authorization', ADMIN_TOKEN);
    expect(wrongCase.status).toBe(404);
    expect(wrongCase.body.error.message).toMatch(
      /release-bot is not blocked.*compared exactly/,
    );
  });

  it.each([
    [
      'a group',
      'group:default/sre-team',
      /ref of a group, which never calls MCP/,
    ],
    ['a user ref without a name', 'user:', /not a user entity ref/],
    [
      'a user ref with too many parts',
      'user:default/a/b',
      /not a user entity ref/,
    ],
    [
      'a principal with a space',
      'release bot',
      /no spaces or control characters/,
    ],
    ['an overlong principal', 'x'.repeat(513), /longer than 512/],
  ])(
    'answers %s with an actionable 400, audited, and changes nothing',
    async (_case, principal, message) => {
      const { app, blockList, events } = await setup();
      await blockList.block({
        principal: 'user:default/a',
        reason: 'x',
        blockedBy: 'ops-console',
        blockedAt: new Date().toISOString(),
        expiresAt: null,
      });
      const path = `/admin/blocks/${encodeURIComponent(principal)}`;
      for (const call of [
        request(app)
          .put(path)
          .set('Authorization', ADMIN_TOKEN)
          .send({ reason: 'x' }),
        request(app).delete(path).set('Authorization', ADMIN_TOKEN),
      ]) {
        const response = await call;
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(message);
        expect(response.body.error.message).toMatch(
          /user:default\/jane|user:<namespace>\/<name>|characters/,
        );
      }
      expect((await blockList.list()).map(entry => entry.principal)).toEqual([
        'user:default/a',
      ]);
      expect(events.map(e => e.outcome)).toEqual(['fail', 'fail']);
    },
  );

  it.each([
    ['no reason', {}, /reason/],
    ['an empty reason', { reason: '  ' }, /reason/],
    [
      'a wrong type',
      { reason: 'x', expiresInSeconds: 'soon' },
      /expiresInSeconds/,
    ],
    [
      'an unknown field',
      { reason: 'x', until: 'tomorrow' },
      /until|Unrecognized/,
    ],
    ['a huge reason', { reason: 'x'.repeat(501) }, /reason/],
  ])(
    'answers %s with an actionable 400 and blocks nothing',
    async (_case, body, message) => {
      const { app, blockList } = await setup();
      const response = await request(app)
        .put('/admin/blocks/some-agent')
        .set('Authorization', ADMIN_TOKEN)
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/^Send a JSON body/);
      expect(response.body.error.message).toMatch(message);
      expect(response.body.error.stack).toBeUndefined();
      expect(blockList.find('some-agent')).toBeUndefined();
    },
  );

  it('answers malformed and oversized JSON with 400/413 and no stack trace', async () => {
    const { app } = await setup();
    const malformed = await request(app)
      .put('/admin/blocks/some-agent')
      .set('Authorization', ADMIN_TOKEN)
      .set('Content-Type', 'application/json')
      .send('{"reason":');
    expect(malformed.status).toBe(400);
    // Backstage's error body, without a stack and without quoting the body.
    expect(malformed.body).toEqual({
      error: { name: 'InputError', message: 'The body is not valid JSON' },
      request: { method: 'PUT', url: '/admin/blocks/some-agent' },
      response: { statusCode: 400 },
    });
    const huge = await request(app)
      .put('/admin/blocks/some-agent')
      .set('Authorization', ADMIN_TOKEN)
      .send({ reason: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect(JSON.stringify(huge.body)).not.toMatch(/at .*\.js/);
  });
});
