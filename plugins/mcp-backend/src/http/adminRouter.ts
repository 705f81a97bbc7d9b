import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ErrorResponseBody,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
  serializeError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mcpAdminPermission } from '@backstage-mcp/plugin-mcp-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { principalOf } from '../governance/callerIdentity';
import { BlockList } from '../governance/blockList';
import { parsePrincipal, ParsedPrincipal } from '../governance/principals';
import { RateLimits } from '../config/rateLimitConfig';
import { tokenNamesPermission } from '../permissions/explicitServiceGrant';

const blockRequest = z
  .object({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe('Why; the blocked agent is told'),
    expiresInSeconds: z
      .number()
      .int()
      .min(1)
      .max(365 * 24 * 3600)
      .optional()
      .describe(
        'Lift the block by itself after this long; absent: until lifted',
      ),
  })
  .strict();

/** The call budgets in force, as configured: what `GET /admin/budgets` answers. */
export interface BudgetsInForce {
  /** `mcp.rateLimits`: every principal without budgets of its own. */
  portal: RateLimits;
  /** The agents of `mcp.agents` with budgets of their own, merged with the portal's. */
  agents: Array<{ subject: string; budgets: RateLimits }>;
  /** `mcp.defaultAgent`'s budgets, when it has its own. */
  defaultAgent?: RateLimits;
}

/** Reads change nothing: audited at low severity. */
const READ_ACTIONS = new Set(['list-blocks', 'list-budgets']);

const STATUS_BY_ERROR: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
};

/**
 * `/admin`: the kill switch's block list, for the portal's administrators.
 *
 * - `GET /admin/blocks`: the blocks in force.
 * - `PUT /admin/blocks/:principal` `{ reason, expiresInSeconds? }`: blocks a
 *   principal (URL-encoded user entity ref or service subject).
 * - `DELETE /admin/blocks/:principal`: lifts a block.
 * - `GET /admin/budgets`: the call budgets in force (read from config).
 *
 * User entity refs are compared as the catalog compares them (any case,
 * `user:jane` is `user:default/jane`); service subjects exactly. What can
 * never be a principal is answered with 400.
 *
 * Every request needs `mcp.admin`. A service principal passes only when its
 * token's access restrictions name `mcp.admin` (an unrestricted agent token
 * is not an administrator), and a blocked principal never passes, so that an
 * agent cannot lift its own block. Every request, allowed or not, is audited
 * as `mcp-admin`.
 */
export function createAdminRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  blockList: BlockList;
  budgets: BudgetsInForce;
}): express.Router {
  const { httpAuth, permissions, auditor, logger, blockList, budgets } =
    options;
  const router = Router();
  router.use('/admin', express.json({ limit: '16kb' }));

  async function authorizeAdmin(
    req: express.Request,
  ): Promise<BackstageCredentials> {
    let credentials: BackstageCredentials;
    try {
      credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
    } catch {
      throw new AuthenticationError(
        'Send "Authorization: Bearer <Backstage token>" of an MCP administrator',
      );
    }
    const principal = principalOf(credentials);
    if (blockList.find(principal)) {
      throw new NotAllowedError(
        `${principal} is blocked from MCP and cannot administer it`,
      );
    }
    if (
      (credentials.principal as { type?: string }).type === 'service' &&
      !tokenNamesPermission(credentials, mcpAdminPermission)
    ) {
      throw new NotAllowedError(
        `Service principal ${principal} is not an MCP administrator: its token's accessRestrictions for the plugin "mcp" must name ${mcpAdminPermission.name}`,
      );
    }
    const [decision] = await permissions.authorize(
      [{ permission: mcpAdminPermission }],
      {
        credentials,
      },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${principal} may not administer MCP: the permission policy denies ${mcpAdminPermission.name}`,
      );
    }
    return credentials;
  }

  /** Runs an admin action inside one audit event, allowed or refused. */
  async function audited<T>(
    req: express.Request,
    action: string,
    meta: Record<string, string | null>,
    run: (credentials: BackstageCredentials) => Promise<T>,
  ): Promise<T> {
    const event = await auditor.createEvent({
      eventId: 'mcp-admin',
      severityLevel: READ_ACTIONS.has(action) ? 'low' : 'high',
      request: req,
      meta: { action, ...meta },
    });
    try {
      const result = await run(await authorizeAdmin(req));
      await event.success();
      return result;
    } catch (error) {
      await event.fail({
        error: isError(error) ? error : new Error(String(error)),
      });
      throw error;
    }
  }

  /**
   * The principal named in the path, and what the audit event records: the
   * principal as keyed, or what was sent (cut short) when it is no principal.
   */
  function targetPrincipal(req: express.Request): {
    target: ParsedPrincipal | { problem: string };
    audited: string;
  } {
    const target = parsePrincipal(req.params.principal ?? '');
    return {
      target,
      audited:
        'problem' in target
          ? (req.params.principal ?? '').slice(0, 200)
          : target.principal,
    };
  }

  function assertPrincipal(
    target: ParsedPrincipal | { problem: string },
  ): ParsedPrincipal {
    if ('problem' in target) {
      throw new InputError(
        `${
          target.problem
        }. Name the principal in the path, URL-encoded: /admin/blocks/${encodeURIComponent(
          'user:default/jane',
        )} or /admin/blocks/<token subject>`,
      );
    }
    return target;
  }

  router.get('/admin/blocks', async (req, res) => {
    const items = await audited(req, 'list-blocks', {}, () => blockList.list());
    res.json({ items });
  });

  router.get('/admin/budgets', async (req, res) => {
    res.json(await audited(req, 'list-budgets', {}, async () => budgets));
  });

  router.put('/admin/blocks/:principal', async (req, res) => {
    const { target, audited: auditedPrincipal } = targetPrincipal(req);
    const parsed = blockRequest.safeParse(req.body ?? {});
    const entry = await audited(
      req,
      'block',
      {
        principal: auditedPrincipal,
        reason: parsed.success ? parsed.data.reason : null,
      },
      async credentials => {
        const { principal } = assertPrincipal(target);
        if (!parsed.success) {
          throw new InputError(
            `Send a JSON body { "reason": "<why, 1-500 characters>", "expiresInSeconds"?: <1-31536000> }: ${parsed.error.issues
              .map(
                issue => `${issue.path.join('.') || 'body'}: ${issue.message}`,
              )
              .join('; ')}`,
          );
        }
        const admin = principalOf(credentials);
        if (admin === principal)
          throw new InputError('You cannot block yourself');
        const now = Date.now();
        return blockList.block({
          principal,
          reason: parsed.data.reason,
          blockedBy: admin,
          blockedAt: new Date(now).toISOString(),
          expiresAt: parsed.data.expiresInSeconds
            ? new Date(now + parsed.data.expiresInSeconds * 1000).toISOString()
            : null,
        });
      },
    );
    res.json(entry);
  });

  router.delete('/admin/blocks/:principal', async (req, res) => {
    const { target, audited: auditedPrincipal } = targetPrincipal(req);
    await audited(req, 'unblock', { principal: auditedPrincipal }, async () => {
      const { principal, principalType } = assertPrincipal(target);
      if (!(await blockList.unblock(principal))) {
        throw new NotFoundError(
          principalType === 'service'
            ? `${principal} is not blocked (token subjects are compared exactly, case included; GET /admin/blocks lists the blocks in force)`
            : `${principal} is not blocked`,
        );
      }
    });
    res.status(204).end();
  });

  // Errors are answered in Backstage's error body (as its error middleware
  // writes it), never with a stack trace, which that middleware adds in
  // development; body-parser's messages would quote the body back.
  router.use('/admin', ((error, req, res, _next) => {
    const known = isError(error) && STATUS_BY_ERROR[error.name] !== undefined;
    const type = (error as { type?: string }).type;
    let answer: { statusCode: number; error: Error };
    if (known) {
      answer = { statusCode: STATUS_BY_ERROR[error.name], error };
    } else if (type === 'entity.parse.failed') {
      answer = {
        statusCode: 400,
        error: new InputError('The body is not valid JSON'),
      };
    } else if (type === 'entity.too.large') {
      answer = {
        statusCode: 413,
        error: new InputError('The body is larger than 16 kB'),
      };
    } else {
      logger.error(
        'MCP admin request failed',
        isError(error) ? error : new Error(String(error)),
      );
      answer = {
        statusCode: 500,
        error: new Error(
          "The request failed; the error was logged for the portal's operators",
        ),
      };
    }
    const body: ErrorResponseBody = {
      error: serializeError(answer.error, { includeStack: false }),
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: answer.statusCode },
    };
    res.status(answer.statusCode).json(body);
  }) as express.ErrorRequestHandler);

  return router;
}
