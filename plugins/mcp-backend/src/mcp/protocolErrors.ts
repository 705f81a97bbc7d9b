import {
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
} from '@modelcontextprotocol/server';
import { GovernedFailure } from './governedRunner';

/**
 * How methods other than tools/call render a governed failure: as a
 * JSON-RPC error. The portal's own failures are internal errors; a refusal
 * or a wrong request is the caller's to fix; a resource that is not there
 * gets the SDK's resource-not-found error when `notFoundUri` names it.
 */
export function toProtocolError(
  failure: GovernedFailure,
  notFoundUri?: string,
): ProtocolError {
  if (failure.kind === 'internal-error' || failure.kind === 'timeout') {
    return new ProtocolError(ProtocolErrorCode.InternalError, failure.message);
  }
  if (notFoundUri !== undefined && failure.name === 'NotFoundError') {
    return new ResourceNotFoundError(notFoundUri, failure.message);
  }
  return new ProtocolError(ProtocolErrorCode.InvalidParams, failure.message);
}
