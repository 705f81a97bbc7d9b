import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createMcpRouter } from './createMcpRouter';
import { describeProtectedResource } from './protectedResource';

function app(httpAuth: ReturnType<typeof mockServices.httpAuth.mock>) {
  const createServer = jest.fn();
  const router = createMcpRouter({
    httpAuth,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    createServer,
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
  return { app: express().use(router), createServer };
}

describe('the MCP endpoint checking the caller', () => {
  it('answers 503 within the call timeout when the token cannot be checked, and serves nothing', async () => {
    // Checking a user's token may wait on the sign-in service's database.
    const { app: server, createServer } = app(
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
    expect(createServer).not.toHaveBeenCalled();
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
});
