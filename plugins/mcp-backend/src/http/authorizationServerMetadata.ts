import { DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';

const CACHE_MS = 60_000;

/**
 * OAuth 2.0 Authorization Server Metadata (RFC 8414) of the auth backend, at
 * the URL MCP clients try first for an issuer with a path:
 * `/.well-known/oauth-authorization-server/api/auth`. The auth backend only
 * serves OpenID Connect discovery under its own path, and a portal whose
 * backend also serves the frontend answers every other URL with the app's
 * index.html, which clients fail to parse instead of trying the next URL.
 * The document is the auth backend's own, so its `issuer` matches.
 */
export async function createAuthorizationServerMetadata(options: {
  discovery: DiscoveryService;
  logger: LoggerService;
}): Promise<{ path: string; handler: express.RequestHandler }> {
  const { discovery, logger } = options;
  const issuerPath = new URL(await discovery.getExternalBaseUrl('auth'))
    .pathname;
  let cached: { at: number; body: unknown } | undefined;

  const handler: express.RequestHandler = async (req, res) => {
    if (req.method !== 'GET' || (req.path !== '/' && req.path !== '')) {
      res.status(404).json({ error: 'not_found' });
      return;
    }
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      try {
        const response = await fetch(
          `${await discovery.getBaseUrl(
            'auth',
          )}/.well-known/openid-configuration`,
        );
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        cached = { at: Date.now(), body: await response.json() };
      } catch (error) {
        logger.warn(
          `Could not read the auth backend's OpenID configuration for the OAuth metadata of MCP clients: ${error}`,
        );
        res.status(503).setHeader('Retry-After', '10').json({
          error: 'temporarily_unavailable',
          error_description: 'The sign-in service is unavailable',
        });
        return;
      }
    }
    res.json(cached.body);
  };

  return {
    path: `/.well-known/oauth-authorization-server${issuerPath}`,
    handler,
  };
}
