import { mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { createMcpRouter } from './createMcpRouter';
import { describeProtectedResource } from './protectedResource';

function app(httpAuth: ReturnType<typeof mockServices.httpAuth.mock>) {
  const serverFactory = jest.fn();
  const router = createMcpRouter({
    httpAuth,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    serverFactory,
    decideToolAccess: jest.fn(),
    governRequest: jest.fn(),
    protectedResource: describeProtectedResource({
      mcpBaseUrl: 'http://localhost:7007/api/mcp',
      authBaseUrl: 'http://localhost:7007/api/auth',
    }),
    allowedOrigins: [],
    maxRequestBodyBytes: 1024,
    callTimeoutMs: 100,
  });
  return { app: express().use(router), serverFactory };
}

const METADATA_URL =
  'http://localhost:7007/.well-known/oauth-protected-resource/api/mcp';

describe('the MCP endpoint checking the caller', () => {
  it('answers 503 within the call timeout when the token cannot be checked, and serves nothing', async () => {
    // Checking a user's token may wait on the sign-in service's database.
    const { app: server, serverFactory } = app(
      mockServices.httpAuth.mock({ credentials: () => new Promise(() => {}) }),
    );
    const started = Date.now();
    const response = await request(server)
      .post('/')
      .set('Authorization', 'Bearer some-user-token')
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('60');
    expect(response.body).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32603,
        message:
          'Could not check your token within 0.1 s: the sign-in service is slow or unavailable. Retry in a minute',
      },
      id: null,
    });
    expect(serverFactory).not.toHaveBeenCalled();
  });

  it('still answers 401 with the challenge for a rejected token', async () => {
    const { app: server } = app(
      mockServices.httpAuth.mock({
        credentials: () => Promise.reject(new Error('bad signature')),
      }),
    );
    const response = await request(server)
      .post('/')
      .set('Authorization', 'Bearer forged')
      .send({});
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(
      /error="invalid_token"/,
    );
  });

  it('asks a request without token for the openid scope in the 401 challenge', async () => {
    const { app: server, serverFactory } = app(
      mockServices.httpAuth.mock({
        credentials: () => Promise.reject(new Error('Missing credentials')),
      }),
    );
    const response = await request(server).post('/').send({});
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${METADATA_URL}", scope="openid"`,
    );
    expect(serverFactory).not.toHaveBeenCalled();
  });

  it('answers a valid token restricted away from MCP with 403 insufficient_scope, not 401', async () => {
    // Backstage's own verdict on a token whose accessRestrictions name other
    // plugins only: signing in again would not change it, a user token would.
    const { app: server, serverFactory } = app(
      mockServices.httpAuth.mock({
        credentials: () =>
          Promise.reject(
            new NotAllowedError(
              "This token's access is restricted to plugin(s) 'catalog'",
            ),
          ),
      }),
    );
    const response = await request(server)
      .post('/')
      .set('Authorization', 'Bearer catalog-only-token')
      .send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(response.status).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", scope="openid", resource_metadata="${METADATA_URL}", error_description="This token's access is restricted to plugin(s) 'catalog'"`,
    );
    expect(response.body).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32001,
        message: expect.stringMatching(
          /^This token may not be used with MCP \(This token's access is restricted to plugin\(s\) 'catalog'\)/,
        ),
      },
      id: null,
    });
    expect(serverFactory).not.toHaveBeenCalled();
  });
});
