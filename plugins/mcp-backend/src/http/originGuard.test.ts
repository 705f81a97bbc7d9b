import express from 'express';
import request from 'supertest';
import { createOriginGuard } from './originGuard';

function app(allowedOrigins: string[]) {
  return express()
    .use(createOriginGuard(allowedOrigins))
    .post('/', (_req, res) => {
      res.json({ ok: true });
    });
}

const LOOPBACK_PORTAL = ['http://localhost:7007', 'http://localhost:3000'];
const IP_PORTAL = ['http://127.0.0.1:7007'];
const REMOTE_PORTAL = [
  'https://portal.example.com',
  'https://portal.example.com:3000',
];

describe('the Origin guard', () => {
  it.each([
    // The conformance suite's DNS-rebinding scenario sends the Host it was
    // pointed at as Origin: every loopback name of the portal's own origin.
    ['a loopback portal', LOOPBACK_PORTAL, 'http://localhost:7007', 200],
    ['a loopback portal', LOOPBACK_PORTAL, 'http://127.0.0.1:7007', 200],
    ['a loopback portal', LOOPBACK_PORTAL, 'http://[::1]:7007', 200],
    ['a loopback portal', LOOPBACK_PORTAL, 'http://127.0.0.1:3000', 200],
    ['a loopback portal', LOOPBACK_PORTAL, 'http://127.0.0.1:7008', 403],
    ['a loopback portal', LOOPBACK_PORTAL, 'https://127.0.0.1:7007', 403],
    ['a loopback portal', LOOPBACK_PORTAL, 'https://localhost:7007', 403],
    ['a loopback portal', LOOPBACK_PORTAL, 'http://127.0.0.2:7007', 403],
    [
      'a loopback portal',
      LOOPBACK_PORTAL,
      'http://localhost.evil.example:7007',
      403,
    ],
    ['a loopback portal', LOOPBACK_PORTAL, 'http://evil.example', 403],
    ['a loopback portal', LOOPBACK_PORTAL, 'null', 403],
    ['a loopback portal', LOOPBACK_PORTAL, 'not a url', 403],
    ['a portal on 127.0.0.1', IP_PORTAL, 'http://localhost:7007', 200],
    ['a portal on 127.0.0.1', IP_PORTAL, 'http://[::1]:7007', 200],
    ['a portal on 127.0.0.1', IP_PORTAL, 'http://localhost:3000', 403],
    ['a portal on [::1]', ['http://[::1]:7007'], 'http://127.0.0.1:7007', 200],
    ['a remote portal', REMOTE_PORTAL, 'https://portal.example.com', 200],
    ['a remote portal', REMOTE_PORTAL, 'https://portal.example.com:3000', 200],
    ['a remote portal', REMOTE_PORTAL, 'http://localhost:7007', 403],
    ['a remote portal', REMOTE_PORTAL, 'https://localhost', 403],
    ['a remote portal', REMOTE_PORTAL, 'https://127.0.0.1', 403],
    // A loopback origin an operator configured stands for its aliases too.
    [
      'a remote portal with a local dev origin',
      [...REMOTE_PORTAL, 'http://localhost:5173'],
      'http://127.0.0.1:5173',
      200,
    ],
    [
      'a remote portal with a local dev origin',
      [...REMOTE_PORTAL, 'http://localhost:5173'],
      'http://127.0.0.1:7007',
      403,
    ],
  ])(
    'on %s (%j), answers Origin %s with %i',
    async (_portal, allowed, origin, status) => {
      const response = await request(app(allowed))
        .post('/')
        .set('Origin', origin)
        .send({});
      expect(response.status).toBe(status);
      expect(response.body.error?.message ?? 'accepted').toMatch(
        status === 403
          ? /is not allowed to call this MCP server.*mcp\.allowedOrigins/
          : /^accepted$/,
      );
    },
  );

  it('lets requests without an Origin header through (CLI agents, IDEs)', async () => {
    expect((await request(app(REMOTE_PORTAL)).post('/').send({})).status).toBe(
      200,
    );
  });

  it('lets every origin through with *', async () => {
    expect(
      (
        await request(app(['*']))
          .post('/')
          .set('Origin', 'https://anything.example')
          .send({})
      ).status,
    ).toBe(200);
  });
});
