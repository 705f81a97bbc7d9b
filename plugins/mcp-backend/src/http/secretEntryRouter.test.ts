import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { memoryCache } from '../__testUtils__/templateRuns';
import { SecretCipher, SecretEntryKey } from '../tools/scaffolder/secretCipher';
import { SecretRequestStore } from '../tools/scaffolder/secretRequests';
import { createSecretEntryRouter } from './secretEntryRouter';

const SECRET = 'hunter2-docs-host-token';

async function setup() {
  const secretRequests = new SecretRequestStore(memoryCache(), new SecretCipher(SecretEntryKey.generate()));
  const auditor = mockServices.auditor.mock();
  const app = express().use(createSecretEntryRouter({ secretRequests, auditor, logger: mockServices.logger.mock() }));
  const pending = await secretRequests.create({
    principal: 'user:default/alice',
    templateRef: 'template:default/docs-site',
    fields: [
      { name: 'apiToken', title: 'Docs host <token>', description: 'Never logged', required: true },
      { name: 'optionalKey', required: false },
    ],
  });
  return { app, secretRequests, auditor, id: pending.id };
}

describe('the secret entry page', () => {
  it('shows a password form for the fields, escaped, with a strict content policy', async () => {
    const { app, id } = await setup();
    const res = await request(app).get(`/secrets/${id}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Secrets for template:default/docs-site');
    expect(res.text).toContain('Docs host &lt;token&gt; *');
    expect(res.text).toContain('<input type="password" name="apiToken"');
    expect(res.text).not.toContain('<script');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('stores what the user enters, audits field names only, and serves the link once per run', async () => {
    const { app, secretRequests, auditor, id } = await setup();
    const res = await request(app).post(`/secrets/${id}`).type('form').send({ apiToken: SECRET, extra: 'x' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Go back to your agent');
    expect((await secretRequests.get(id))?.secrets).toEqual({ apiToken: SECRET });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'secret-entry',
        meta: {
          templateRef: 'template:default/docs-site',
          forPrincipal: 'user:default/alice',
          fields: ['apiToken'],
        },
      }),
    );
    expect(JSON.stringify(auditor.createEvent.mock.calls.map(([event]) => event.meta))).not.toContain(SECRET);

    await secretRequests.delete(id);
    expect((await request(app).get(`/secrets/${id}`)).status).toBe(404);
    expect((await request(app).post(`/secrets/${id}`).type('form').send({ apiToken: 'y' })).status).toBe(404);
  });

  it('keeps the form when a required secret is left empty', async () => {
    const { app, secretRequests, id } = await setup();
    const res = await request(app).post(`/secrets/${id}`).type('form').send({ optionalKey: 'k' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('name="apiToken"');
    expect((await secretRequests.get(id))?.secrets).toBeUndefined();
  });

  it.each(['not-a-uuid', '00000000-0000-4000-8000-000000000000'])('answers 404 for unknown link %s', async id => {
    const { app } = await setup();
    const res = await request(app).get(`/secrets/${id}`);
    expect(res.status).toBe(404);
    expect(res.text).toContain('expired or was already used');
  });

  it('answers a request sealed with another key with a page that says so, not an error', async () => {
    const cache = memoryCache();
    const writer = new SecretRequestStore(cache, new SecretCipher(SecretEntryKey.generate()));
    const pending = await writer.create({ principal: 'user:default/alice', templateRef: 'template:default/docs-site', fields: [] });
    const otherReplica = express().use(
      createSecretEntryRouter({
        secretRequests: new SecretRequestStore(cache, new SecretCipher(SecretEntryKey.generate())),
        auditor: mockServices.auditor.mock(),
        logger: mockServices.logger.mock(),
      }),
    );
    const res = await request(otherReplica).get(`/secrets/${pending.id}`);
    expect(res.status).toBe(503);
    expect(res.text).toContain('every replica needs the same mcp.secretEntry.encryptionKey');
    expect(res.text).not.toContain('UnreadableSecretError');
  });

  it('answers a failure of its own with a plain page and a reference, logging the error for operators', async () => {
    const secretRequests = new SecretRequestStore(memoryCache(), new SecretCipher(SecretEntryKey.generate()));
    jest.spyOn(secretRequests, 'get').mockRejectedValue(new Error('cache connection reset'));
    const logger = mockServices.logger.mock();
    const app = express().use(
      createSecretEntryRouter({ secretRequests, auditor: mockServices.auditor.mock(), logger }),
    );
    const res = await request(app).get('/secrets/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const reference = /reference: ([0-9a-f-]{36})/.exec(res.text)?.[1];
    expect(reference).toBeDefined();
    expect(res.text).not.toMatch(/cache connection reset|stack|\bat /);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(reference!), expect.any(Error));
  });
});
