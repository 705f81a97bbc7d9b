import { ServiceUnavailableError } from '@backstage/errors';
import { UserInfoService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { memoryCache } from '../__testUtils__/templateRuns';
import { SecretCipher, SecretEntryKey } from '../tools/scaffolder/secretCipher';
import {
  SecretRequest,
  SecretRequestStore,
} from '../tools/scaffolder/secretRequests';
import { createSecretEntryRouter } from './secretEntryRouter';

const SECRET = 'hunter2-docs-host-token';
const OWN_ORIGIN = 'http://portal.test';
const GROUPS: Record<string, string[]> = {
  'user:default/bob': ['group:default/sre'],
};

const cookieOf = (userEntityRef: string) =>
  mockCredentials.limitedUser.cookie(userEntityRef);
const alice = cookieOf('user:default/alice');
const mallory = cookieOf('user:default/mallory');

/** Group membership as the auth backend would report it. */
const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const { userEntityRef } = credentials.principal as {
      userEntityRef: string;
    };
    return {
      userEntityRef,
      ownershipEntityRefs: [userEntityRef, ...(GROUPS[userEntityRef] ?? [])],
    };
  },
};

function appFor(
  secretRequests: SecretRequestStore,
  overrides: Partial<Parameters<typeof createSecretEntryRouter>[0]> = {},
) {
  const auditor = mockServices.auditor.mock();
  const logger = mockServices.logger.mock();
  const app = express().use(
    createSecretEntryRouter({
      secretRequests,
      auditor,
      logger,
      // Without a cookie or token, nobody: as Backstage's own httpAuth.
      httpAuth: mockServices.httpAuth({
        defaultCredentials: mockCredentials.none(),
      }),
      userInfo,
      ownOrigin: OWN_ORIGIN,
      signInUrl: 'http://portal.test/',
      ...overrides,
    }),
  );
  return { app, auditor, logger };
}

async function setup(asked: Partial<SecretRequest> = {}) {
  const secretRequests = new SecretRequestStore(
    memoryCache(),
    new SecretCipher(SecretEntryKey.generate()),
  );
  const pending = await secretRequests.create({
    principal: 'user:default/alice',
    entrants: ['user:default/alice'],
    templateRef: 'template:default/docs-site',
    templateTitle: 'Documentation site',
    client: { name: 'Claude Code', version: '2.1.0' },
    fields: [
      {
        name: 'apiToken',
        title: 'Docs host <token>',
        description: 'Never logged',
        required: true,
      },
      { name: 'optionalKey', required: false },
    ],
    ...asked,
  });
  return { ...appFor(secretRequests), secretRequests, id: pending.id };
}

const submit = (
  app: express.Express,
  cookie: string,
  fields: Record<string, string>,
) =>
  request(app)
    .post('/secrets')
    .set('Cookie', cookie)
    .set('Origin', OWN_ORIGIN)
    .type('form')
    .send(fields);

describe('the secret entry page', () => {
  it('asks whoever is not signed in to sign in, and shows nothing of any request', async () => {
    const { app, secretRequests, id } = await setup();
    const page = await request(app).get('/secrets');
    expect(page.status).toBe(401);
    expect(page.text).toContain(
      'Sign in to <a href="http://portal.test/">http://portal.test/</a> as the user your agent acts for',
    );
    expect(page.text).not.toMatch(/<form|docs-site|alice/);

    const post = await request(app)
      .post('/secrets')
      .set('Origin', OWN_ORIGIN)
      .type('form')
      .send({ request: id, 'secret.apiToken': SECRET });
    expect(post.status).toBe(401);
    expect((await secretRequests.get(id))?.secrets).toBeUndefined();
  });

  it('refuses agents and services: only a person enters secrets', async () => {
    const { app, id, secretRequests } = await setup();
    const page = await request(app)
      .get('/secrets')
      .set('Authorization', mockCredentials.service.header());
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('<form');
    const post = await request(app)
      .post('/secrets')
      .set('Authorization', mockCredentials.service.header())
      .type('form')
      .send({ request: id, 'secret.apiToken': SECRET });
    expect(post.status).toBe(403);
    expect((await secretRequests.get(id))?.secrets).toBeUndefined();
  });

  it('shows the signed-in user who asked, through which client, for which template, with a strict content policy', async () => {
    const { app, id } = await setup();
    const res = await request(app).get('/secrets').set('Cookie', alice);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Signed in as user:default/alice');
    expect(res.text).toContain(
      'Documentation site <small>template:default/docs-site</small>',
    );
    expect(res.text).toContain(
      '<dt>Asked by</dt><dd>user:default/alice (you)</dd>',
    );
    expect(res.text).toContain(
      '<dt>MCP client</dt><dd>Claude Code 2.1.0 (as the client names itself)</dd>',
    );
    expect(res.text).toContain('Docs host &lt;token&gt; *');
    expect(res.text).toContain('<input type="password" name="secret.apiToken"');
    expect(res.text).toContain(
      `<input type="hidden" name="request" value="${id}">`,
    );
    expect(res.text).not.toContain('<script');
    expect(res.headers['content-security-policy']).toContain(
      "default-src 'none'",
    );
    expect(res.headers['cache-control']).toBe('no-store');
    // The browser must send the page's Origin with the form (see sameOriginOnly).
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('takes one submission from the user who asked, and audits field names only', async () => {
    const { app, secretRequests, auditor, id } = await setup();
    const saved = await submit(app, alice, {
      request: id,
      'secret.apiToken': SECRET,
      extra: 'x',
    });
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('Go back to your agent');
    expect((await secretRequests.get(id))?.secrets).toEqual({
      apiToken: SECRET,
    });
    expect((await secretRequests.get(id))?.enteredBy).toBe(
      'user:default/alice',
    );

    const again = await submit(app, alice, {
      request: id,
      'secret.apiToken': 'overwritten',
    });
    expect(again.status).toBe(409);
    expect(again.text).toContain(
      'a request takes one submission: nothing was changed',
    );
    expect((await secretRequests.get(id))?.secrets).toEqual({
      apiToken: SECRET,
    });

    const listed = await request(app).get('/secrets').set('Cookie', alice);
    expect(listed.text).toContain('Entered by user:default/alice');
    expect(listed.text).not.toContain('<form');

    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'secret-entry',
        meta: {
          enteredBy: 'user:default/alice',
          templateRef: 'template:default/docs-site',
          forPrincipal: 'user:default/alice',
          client: 'Claude Code',
        },
      }),
    );
    const events = auditor.createEvent.mock.results.map(r => r.value);
    const outcomes = await Promise.all(events);
    expect(outcomes[0].success).toHaveBeenCalledWith({
      meta: { outcome: 'saved', fields: ['apiToken'] },
    });
    expect(outcomes[1].fail).toHaveBeenCalledWith(
      expect.objectContaining({ meta: { outcome: 'already-entered' } }),
    );
    const audited = JSON.stringify([
      auditor.createEvent.mock.calls.map(([event]) => event.meta),
      outcomes.map(o => [o.success.mock.calls, o.fail.mock.calls]),
    ]);
    expect(audited).not.toContain(SECRET);
    expect(audited).not.toContain(id);
  });

  it('shows another user nothing and refuses their submission, even with the request id', async () => {
    const { app, secretRequests, auditor, id } = await setup();
    const page = await request(app).get('/secrets').set('Cookie', mallory);
    expect(page.status).toBe(404);
    expect(page.text).toContain('No secrets are waiting for you');
    expect(page.text).not.toMatch(/<form|docs-site|alice/);

    const post = await submit(app, mallory, {
      request: id,
      'secret.apiToken': 'mallory-token',
    });
    expect(post.status).toBe(404);
    expect(post.text).not.toContain('docs-site');
    expect((await secretRequests.get(id))?.secrets).toBeUndefined();
    const event = await auditor.createEvent.mock.results[0].value;
    expect(auditor.createEvent.mock.calls[0][0].meta).toMatchObject({
      enteredBy: 'user:default/mallory',
      forPrincipal: 'user:default/alice',
    });
    expect(event.fail).toHaveBeenCalledWith(
      expect.objectContaining({ meta: { outcome: 'not-waiting-for-you' } }),
    );

    // The user who asked still can.
    expect(
      (await submit(app, alice, { request: id, 'secret.apiToken': SECRET }))
        .status,
    ).toBe(200);
  });

  it.each([
    ['another origin', { Origin: 'https://evil.example' }],
    ['an opaque origin', { Origin: 'null' }],
    ['a cross-site fetch', { 'Sec-Fetch-Site': 'cross-site' }],
  ])(
    'refuses a submission from %s (CSRF with the user cookie)',
    async (_case, headers) => {
      const { app, secretRequests, id } = await setup();
      const res = await request(app)
        .post('/secrets')
        .set('Cookie', alice)
        .set(headers)
        .type('form')
        .send({ request: id, 'secret.apiToken': SECRET });
      expect(res.status).toBe(403);
      expect((await secretRequests.get(id))?.secrets).toBeUndefined();
    },
  );

  it('keeps the form when a required secret is left empty', async () => {
    const { app, secretRequests, id } = await setup();
    const res = await submit(app, alice, {
      request: id,
      'secret.optionalKey': 'k',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Fill in every field marked *');
    expect(res.text).toContain('name="secret.apiToken"');
    expect((await secretRequests.get(id))?.secrets).toBeUndefined();
  });

  it("lets the people an administrator named enter a static-token agent's secrets, and says it is an agent", async () => {
    const { app, secretRequests, id } = await setup({
      principal: 'service:release-bot',
      entrants: ['group:default/sre'],
      client: undefined,
    });
    const bob = cookieOf('user:default/bob');
    const page = await request(app).get('/secrets').set('Cookie', bob);
    expect(page.status).toBe(200);
    expect(page.text).toContain(
      '<dd>the agent &quot;release-bot&quot; (a static token, not a person)</dd>',
    );
    expect(page.text).toContain(
      '<dd>not named (clients of the 2025-11-25 protocol name themselves only when they connect)</dd>',
    );
    expect(
      (await request(app).get('/secrets').set('Cookie', alice)).status,
    ).toBe(404);
    expect(
      (await submit(app, alice, { request: id, 'secret.apiToken': SECRET }))
        .status,
    ).toBe(404);
    expect(
      (await submit(app, bob, { request: id, 'secret.apiToken': SECRET }))
        .status,
    ).toBe(200);
    expect((await secretRequests.get(id))?.enteredBy).toBe('user:default/bob');
  });

  it('answers a request gone or unknown with a plain page', async () => {
    const { app, secretRequests, id } = await setup();
    await secretRequests.delete(id);
    expect(
      (await request(app).get('/secrets').set('Cookie', alice)).status,
    ).toBe(404);
    for (const unknown of [id, 'not-a-uuid', '']) {
      expect(
        (
          await submit(app, alice, {
            request: unknown,
            'secret.apiToken': SECRET,
          })
        ).status,
      ).toBe(404);
    }
  });

  it('says so when a request was sealed with another key, instead of failing', async () => {
    const cache = memoryCache();
    const writer = new SecretRequestStore(
      cache,
      new SecretCipher(SecretEntryKey.generate()),
    );
    const pending = await writer.create({
      principal: 'user:default/alice',
      entrants: ['user:default/alice'],
      templateRef: 'template:default/docs-site',
      fields: [],
    });
    const { app } = appFor(
      new SecretRequestStore(
        cache,
        new SecretCipher(SecretEntryKey.generate()),
      ),
    );
    const page = await request(app).get('/secrets').set('Cookie', alice);
    expect(page.status).toBe(503);
    expect(page.text).toContain(
      'every replica needs the same mcp.secretEntry.encryptionKey',
    );
    const post = await submit(app, alice, {
      request: pending.id,
      'secret.apiToken': SECRET,
    });
    expect(post.status).toBe(503);
    expect(post.text).not.toContain('UnreadableSecretError');
  });

  it('answers a failure of its own with a plain page and a reference, logging the error for operators', async () => {
    const secretRequests = new SecretRequestStore(
      memoryCache(),
      new SecretCipher(SecretEntryKey.generate()),
    );
    jest
      .spyOn(secretRequests, 'waitingFor')
      .mockRejectedValue(new Error('cache connection reset'));
    const { app, logger } = appFor(secretRequests);
    const res = await request(app).get('/secrets').set('Cookie', alice);
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const reference = /reference: ([0-9a-f-]{36})/.exec(res.text)?.[1];
    expect(reference).toBeDefined();
    expect(res.text).not.toMatch(/cache connection reset|stack|\bat /);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(reference!),
      expect.any(Error),
    );
  });

  it("answers 503 with what to do when the portal's cache does not answer", async () => {
    const secretRequests = new SecretRequestStore(
      memoryCache(),
      new SecretCipher(SecretEntryKey.generate()),
    );
    jest
      .spyOn(secretRequests, 'waitingFor')
      .mockRejectedValue(
        new ServiceUnavailableError(
          "The portal's cache (backend.cache) did not answer within 3000 ms",
        ),
      );
    const { app, logger } = appFor(secretRequests);
    const res = await request(app).get('/secrets').set('Cookie', alice);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.text).toContain('Try again in a minute');
    expect(logger.error).not.toHaveBeenCalled();
  });
});
