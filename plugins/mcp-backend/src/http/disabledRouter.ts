import express from 'express';

/**
 * Answers every request with 503 and a JSON-RPC error, before any
 * authentication: with `mcp.enabled: false` the portal's administrators have
 * switched MCP off, and clients should say so rather than start sign-in.
 */
export function disabledMcpHandler(): express.RequestHandler {
  return (_req, res) => {
    res.status(503).json({
      jsonrpc: '2.0',
      error: {
        code: -32000,
        message:
          'MCP is disabled in this Backstage portal by its administrators (mcp.enabled: false). Ask them to enable it; retrying will not help',
      },
      id: null,
    });
  };
}
