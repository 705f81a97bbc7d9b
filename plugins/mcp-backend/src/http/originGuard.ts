import { RequestHandler } from 'express';

/**
 * The names a browser may use for the machine it runs on. The rest of
 * 127.0.0.0/8 and `*.localhost` are left out on purpose: they are other
 * origins that another local server may answer, and MCP clients and the
 * conformance suite use only these three.
 */
const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'];

function parseOrigin(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * The origins a configured origin stands for: itself, and when it is a
 * loopback origin, the same scheme and port under every loopback name, so
 * that a portal at http://localhost:7007 also accepts a page (or a
 * conformance run) at http://127.0.0.1:7007. A portal on any other host
 * gains nothing from this.
 */
function originsOf(configured: string): string[] {
  const url = new URL(configured);
  if (!LOOPBACK_HOSTNAMES.includes(url.hostname)) return [url.origin];
  return LOOPBACK_HOSTNAMES.map(hostname => {
    const alias = new URL(url.origin);
    alias.hostname = hostname;
    return alias.origin;
  });
}

/**
 * Rejects browser requests from origins other than the portal's own (and
 * configured extras): the DNS-rebinding protection MCP requires of HTTP
 * servers. Requests without an Origin header (CLI agents, IDEs) pass.
 */
export function createOriginGuard(
  allowedOrigins: Iterable<string>,
): RequestHandler {
  const allowed = new Set<string>();
  let allowAll = false;
  for (const origin of allowedOrigins) {
    if (origin === '*') allowAll = true;
    else originsOf(origin).forEach(o => allowed.add(o));
  }

  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin || allowAll || allowed.has(parseOrigin(origin)?.origin ?? '')) {
      next();
      return;
    }
    res.status(403).json({
      jsonrpc: '2.0',
      error: {
        code: -32000,
        message: `Origin ${origin.slice(
          0,
          200,
        )} is not allowed to call this MCP server. Add it to mcp.allowedOrigins in app-config.yaml if it is trusted`,
      },
      id: null,
    });
  };
}
