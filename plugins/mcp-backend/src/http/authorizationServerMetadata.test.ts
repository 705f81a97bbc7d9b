import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { createAuthorizationServerMetadata } from './authorizationServerMetadata';

const OPENID_CONFIGURATION = {
  issuer: 'https://portal.example.com/api/auth',
  authorization_endpoint: 'https://portal.example.com/api/auth/v1/authorize',
  client_id_metadata_document_supported: true,
};

async function authBackend(answer: express.RequestHandler) {
  const server = express()
    .get('/api/auth/.well-known/openid-configuration', answer)
    .listen(0);
  await new Promise(resolve => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, internalUrl: `http://localhost:${port}/api/auth` };
}

async function portal(internalUrl: string) {
  const { path, handler } = await createAuthorizationServerMetadata({
    discovery: {
      getBaseUrl: async () => internalUrl,
      getExternalBaseUrl: async () => 'https://portal.example.com/api/auth',
    },
    logger: mockServices.logger.mock(),
  });
  return { path, app: express().use(path, handler) };
}

describe('the auth backend metadata at the RFC 8414 URL', () => {
  it('serves the auth backend’s own OpenID configuration at the path-inserted URL', async () => {
    const fetched = jest.fn((_req, res) => res.json(OPENID_CONFIGURATION));
    const { server, internalUrl } = await authBackend(fetched);
    try {
      const { path, app } = await portal(internalUrl);
      expect(path).toBe('/.well-known/oauth-authorization-server/api/auth');
      for (let i = 0; i < 2; i++) {
        const response = await request(app).get(path);
        expect(response.status).toBe(200);
        expect(response.body).toEqual(OPENID_CONFIGURATION);
      }
      // Read once, not on every client's discovery.
      expect(fetched).toHaveBeenCalledTimes(1);
      expect((await request(app).get(`${path}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('answers 503, not the frontend, when the auth backend cannot be read', async () => {
    const { server, internalUrl } = await authBackend((_req, res) =>
      res.status(500).end(),
    );
    try {
      const { path, app } = await portal(internalUrl);
      const response = await request(app).get(path);
      expect(response.status).toBe(503);
      expect(response.body.error).toBe('temporarily_unavailable');
    } finally {
      server.close();
    }
  });
});
