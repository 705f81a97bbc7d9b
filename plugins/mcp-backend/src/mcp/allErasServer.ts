import {
  JSONRPCRequest,
  Result,
  Server,
  ServerContext,
} from '@modelcontextprotocol/server';

type RequestHandler = (
  request: JSONRPCRequest,
  ctx: ServerContext,
) => Promise<Result>;

/**
 * The SDK's low-level Server, except that `server/discover` lists every
 * protocol version the endpoint serves. The SDK lists only the 2026-era
 * versions there (2025-era versions are negotiated by `initialize`), but the
 * same endpoint serves both eras, and a client that probes with discover
 * should learn that it may also speak a 2025 version here.
 */
// eslint-disable-next-line @typescript-eslint/no-deprecated
export class AllErasServer extends Server {
  protected override _wrapHandler(
    method: string,
    handler: RequestHandler,
  ): RequestHandler {
    const wrapped = super._wrapHandler(method, handler);
    if (method !== 'server/discover') return wrapped;
    return async (request, ctx) => {
      const result = await wrapped(request, ctx);
      const listed = Array.isArray(result.supportedVersions)
        ? (result.supportedVersions as string[])
        : [];
      // Read per request: the constructor registers handlers before this
      // subclass could hold state, and the HTTP entry adds modern versions later.
      const served = this._supportedProtocolVersions.filter(
        version => !listed.includes(version),
      );
      return { ...result, supportedVersions: [...listed, ...served] };
    };
  }
}
