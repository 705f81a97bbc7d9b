import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';

/**
 * Backstage errors whose messages are written for the caller and safe to
 * show: they become tool errors the agent can act on.
 */
const CALLER_ERRORS: Record<string, string> = {
  InputError: 'Invalid input',
  NotFoundError: 'Not found',
  NotAllowedError: 'Not allowed',
  ConflictError: 'Conflict',
  AuthenticationError: 'Not authenticated',
  NotModifiedError: 'Not modified',
  ServiceUnavailableError: 'Service unavailable',
};

/** The outcome of a failed tool call, as the agent and the audit see it. */
export interface ToolFailure {
  kind: 'caller-error' | 'internal-error';
  /** The error's name, e.g. NotFoundError. */
  name: string;
  /** What the agent is told: never a stack trace. */
  message: string;
}

/**
 * Errors from other plugins arrive as `ResponseError`s whose cause is the
 * remote Backstage error; the cause is what the caller needs to see.
 */
function unwrapRemoteError(error: unknown): unknown {
  if (
    isError(error) &&
    error.name === 'ResponseError' &&
    isError(error.cause)
  ) {
    return error.cause;
  }
  return error;
}

/**
 * The one error boundary of tool calls: Backstage errors become messages the
 * agent can act on; anything else is logged with a reference and becomes a
 * generic message, so that no internals reach clients.
 */
export function classifyToolError(
  error: unknown,
  context: {
    logger: LoggerService;
    toolName: string;
    reference: string;
    /** What failed, for messages; resources and prompts name themselves. */
    subject?: string;
  },
): ToolFailure {
  const subject = context.subject ?? `tool ${context.toolName}`;
  const cause = unwrapRemoteError(error);
  if (isError(cause) && Object.hasOwn(CALLER_ERRORS, cause.name)) {
    return {
      kind: 'caller-error',
      name: cause.name,
      message: `${CALLER_ERRORS[cause.name]}: ${cause.message}`,
    };
  }
  context.logger.error(
    `MCP ${subject} failed (reference ${context.reference})`,
    isError(error) ? error : new Error(String(error)),
  );
  return {
    kind: 'internal-error',
    name: isError(cause) ? cause.name : 'Error',
    message: `The ${subject} failed unexpectedly (reference ${context.reference}). The error was logged for the portal's operators; retrying may help, otherwise report the reference.`,
  };
}
