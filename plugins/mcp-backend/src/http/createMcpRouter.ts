import {
  AuthService,
  BackstageCredentials,
  BackstageServicePrincipal,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { AuthInfo, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import express from 'express';
import Router from 'express-promise-router';
import { McpServerForRequest } from '../mcp/createServerFactory';
import { CallDeadlineError, withinDeadline } from '../mcp/deadline';
import { McpRequestContext } from '../mcp/requestContext';
import { RequestGovernanceFactory } from '../governance/requestGovernance';
import { BLOCKED_TOOL_ACCESS, ToolAccess } from '../permissions/toolAccess';
import { createOriginGuard } from './originGuard';
import { ProtectedResource } from './protectedResource';

/** Where the request context rides through the SDK to the server factory. */
const REQUEST_CONTEXT_KEY = 'backstageMcpRequestContext';

function refuse(
  res: express.Response,
  status: 401 | 403,
  challenge: string,
  message: string,
) {
  res
    .status(status)
    .setHeader('WWW-Authenticate', challenge)
    .json({ jsonrpc: '2.0', error: { code: -32001, message }, id: null });
}

/**
 * The HTTP boundary of the MCP endpoint: Origin check, authentication with
 * the caller's Backstage token, protected-resource metadata, and hand-off of
 * the request to the stateless MCP handler.
 */
export function createMcpRouter(options: {
  httpAuth: HttpAuthService;
  auth: AuthService;
  logger: LoggerService;
  createServer: McpServerForRequest;
  decideToolAccess(caller: BackstageCredentials): Promise<ToolAccess>;
  governRequest: RequestGovernanceFactory;
  protectedResource: ProtectedResource;
  allowedOrigins: string[];
  maxRequestBodyBytes: number;
  /** mcp.callTimeout: how long checking the caller's token may take. */
  callTimeoutMs: number;
}): express.Router {
  const { httpAuth, auth, logger, protectedResource } = options;
  const onerror = (error: Error) =>
    logger.warn(`MCP transport error: ${error.message}`);
  const limits = { onerror, maxRequestBodySize: options.maxRequestBodyBytes };
  // One SDK handler for the plugin's lifetime: a handler per request
  // allocates the SDK's event bus, listen router and legacy fallback for
  // every call, which the soak test measured as memory that grew with the
  // calls. The SDK hands its server factory only what it read from the HTTP
  // request, the pass-through `req.auth` included, so the typed request
  // context travels there, under a key of this module, and is handed to
  // createServer as an argument.
  const sdkHandler = toNodeHandler(
    createMcpHandler(({ authInfo }) => {
      const context = authInfo?.extra?.[REQUEST_CONTEXT_KEY] as
        | McpRequestContext
        | undefined;
      if (!context) {
        throw new Error('MCP request reached the server without its context');
      }
      return options.createServer(context);
    }, limits),
    limits,
  );
  const handleMcp = (
    req: express.Request,
    res: express.Response,
    context: McpRequestContext,
  ) => {
    (req as express.Request & { auth?: AuthInfo }).auth = {
      token: '',
      clientId: '',
      scopes: [],
      extra: { [REQUEST_CONTEXT_KEY]: context },
    };
    return sdkHandler(req, res);
  };

  const router = Router();
  router.get('/.well-known/oauth-protected-resource', (_req, res) => {
    res.json(protectedResource.metadata);
  });
  router.use(createOriginGuard(options.allowedOrigins));

  router.all('/', async (req, res) => {
    let caller: BackstageCredentials;
    try {
      caller = await withinDeadline(
        () => httpAuth.credentials(req, { allow: ['user', 'service'] }),
        options.callTimeoutMs,
      );
    } catch (error) {
      if (error instanceof CallDeadlineError) {
        // A user's token is checked against the sign-in service's keys, which
        // it reads from its database when this plugin's copy is stale. Not
        // a 401: the token may well be valid, and clients would sign in anew.
        res
          .status(503)
          .setHeader('Retry-After', '60')
          .json({
            jsonrpc: '2.0',
            error: {
              code: -32603,
              message: `Could not check your token within ${
                Math.round(error.limitMs / 100) / 10
              } s: the sign-in service is slow or unavailable. Retry in a minute`,
            },
            id: null,
          });
        return;
      }
      const reason = isError(error) ? error.message : 'invalid';
      if (!req.headers.authorization) {
        refuse(
          res,
          401,
          protectedResource.challenge,
          'Authentication required: send "Authorization: Bearer <Backstage token>"',
        );
      } else if (isError(error) && error.name === 'NotAllowedError') {
        // A valid token whose access restrictions leave this plugin out: the
        // only "scope" Backstage tokens have. Not a 401, which would make an
        // OAuth client throw away a token that works elsewhere; a user's own
        // token (the openid scope) is what this endpoint accepts.
        refuse(
          res,
          403,
          protectedResource.insufficientScopeChallenge(reason),
          `This token may not be used with MCP (${reason}). Sign in to the portal with your MCP client, or use a token whose access restrictions include the mcp plugin`,
        );
      } else {
        refuse(
          res,
          401,
          protectedResource.invalidTokenChallenge,
          `The token was rejected (${reason}). Sign in again or use a valid static token`,
        );
      }
      return;
    }

    let access: Promise<ToolAccess> | undefined;
    const restricted =
      auth.isPrincipal(caller, 'service') &&
      (caller.principal as BackstageServicePrincipal).accessRestrictions !==
        undefined;
    const governance = options.governRequest(caller, req);
    const context: McpRequestContext = {
      caller,
      // Backstage does not delegate a token with accessRestrictions to other
      // plugins; the MCP gate has applied those restrictions already.
      credentials: restricted ? await auth.getOwnServiceCredentials() : caller,
      // A blocked caller is refused everything without a permission round-trip.
      getToolAccess: () =>
        (access ??= governance.block
          ? Promise.resolve(BLOCKED_TOOL_ACCESS)
          : options.decideToolAccess(caller)),
      httpRequest: req,
      governance,
    };
    await handleMcp(req, res, context);
  });

  return router;
}
