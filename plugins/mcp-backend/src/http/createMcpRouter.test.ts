import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { AllErasServer } from '../mcp/allErasServer';
import { McpServerForRequest } from '../mcp/createServerFactory';
import { createMcpRouter } from './createMcpRouter';
import { describeProtectedResource } from './protectedResource';

function app(
  httpAuth: ReturnType<typeof mockServices.httpAuth.mock>,
  createServer: jest.Mock<ReturnType<McpServerForRequest>> = jest.fn(),
) {
  const router = createMcpRouter({
    httpAuth,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    createServer,
    decideToolAccess: jest.fn(),
    governRequest: jest.fn(() => ({
      identity: { principal: 'test', principalType: 'service' as const },
      takeCallBudget: async () => undefined,
    })),
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

const METADATA_URL =
  'http://localhost:7007/.well-known/oauth-protected-resource/api/mcp';

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

  it('asks a request without token for the openid scope in the 401 challenge', async () => {
    const { app: server, createServer } = app(
      mockServices.httpAuth.mock({
        credentials: () => Promise.reject(new Error('Missing credentials')),
      }),
    );
    const response = await request(server).post('/').send({});
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer resource_metadata="${METADATA_URL}", scope="openid"`,
    );
    expect(createServer).not.toHaveBeenCalled();
  });

  it('answers a valid token restricted away from MCP with 403 insufficient_scope, not 401', async () => {
    // Backstage's own verdict on a token whose accessRestrictions name other
    // plugins only: signing in again would not change it, a user token would.
    const { app: server, createServer } = app(
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
    expect(createServer).not.toHaveBeenCalled();
  });
});

describe('the MCP endpoint handing the request to its server', () => {
  /** A server whose only tool call answers with the context it was built for. */
  function serverForContext(): jest.Mock<ReturnType<McpServerForRequest>> {
    return jest.fn(context => {
      const server = new AllErasServer(
        { name: 'test', version: '0' },
        { capabilities: { tools: {} } },
      );
      const subjectOf = (credentials: BackstageCredentials) =>
        (credentials.principal as { subject: string }).subject;
      server.setRequestHandler('tools/call', async () => ({
        content: [
          {
            type: 'text',
            text: JSON.stringify({
              caller: subjectOf(context.caller),
              credentials: subjectOf(context.credentials),
            }),
          },
        ],
      }));
      return server;
    });
  }

  const callTool = (server: express.Express) =>
    request(server)
      .post('/')
      .set('Authorization', 'Bearer some-token')
      .set('Accept', 'application/json, text/event-stream')
      .set('MCP-Protocol-Version', '2025-11-25')
      .send({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'any', arguments: {} },
      });

  it.each([
    [
      'an unrestricted static token: its own credentials',
      mockCredentials.service('external:ci-bot'),
      { caller: 'external:ci-bot', credentials: 'external:ci-bot' },
    ],
    [
      // Backstage would not delegate it; the MCP gate applies its restrictions.
      "a static token with accessRestrictions: the plugin's",
      mockCredentials.service('external:ci-bot', {
        permissionNames: ['mcp.tool.invoke'],
      }),
      { caller: 'external:ci-bot', credentials: 'plugin:test' },
    ],
  ])(
    'builds the server with the caller and, for service calls, %s',
    async (_name, credentials, expected) => {
      const createServer = serverForContext();
      const { app: server } = app(
        mockServices.httpAuth.mock({
          credentials: jest.fn().mockResolvedValue(credentials),
        }),
        createServer,
      );
      const response = await callTool(server);
      expect(response.status).toBe(200);
      expect(response.text).toContain(
        JSON.stringify(JSON.stringify(expected)).slice(1, -1),
      );
      expect(createServer).toHaveBeenCalledTimes(1);
    },
  );
});
