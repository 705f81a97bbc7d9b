import { RequestHandler } from 'express';

/**
 * Rejects browser requests from origins other than the portal's own (and
 * configured extras): the DNS-rebinding protection MCP requires of HTTP
 * servers. Requests without an Origin header (CLI agents, IDEs) pass.
 */
export function createOriginGuard(allowedOrigins: Iterable<string>): RequestHandler {
  const allowed = new Set<string>();
  let allowAll = false;
  for (const origin of allowedOrigins) {
    if (origin === '*') allowAll = true;
    else allowed.add(new URL(origin).origin);
  }

  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin || allowAll || allowed.has(origin)) {
      next();
      return;
    }
    res.status(403).json({
      jsonrpc: '2.0',
      error: {
        code: -32000,
        message: `Origin ${origin.slice(0, 200)} is not allowed to call this MCP server. Add it to mcp.allowedOrigins in app-config.yaml if it is trusted`,
      },
      id: null,
    });
  };
}
