import { mockServices } from '@backstage/backend-test-utils';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { classifyToolError } from './errorBoundary';

const REFERENCE = '7f1c8a2e-0000-4000-8000-000000000000';

function classify(error: unknown) {
  const logger = mockServices.logger.mock();
  const failure = classifyToolError(error, {
    logger,
    toolName: 'catalog_get_entity',
    reference: REFERENCE,
  });
  return { failure, logger };
}

/** How the catalog client reports an error of the catalog backend. */
async function remoteError(status: number, name: string, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        response: { statusCode: status },
      }),
      {
        status,
        statusText: 'Error',
        headers: { 'Content-Type': 'application/json' },
      },
    ) as any,
  );
}

describe('classifyToolError', () => {
  it.each([
    ['InputError', InputError, 'Invalid input'],
    ['NotFoundError', NotFoundError, 'Not found'],
    ['NotAllowedError', NotAllowedError, 'Not allowed'],
    ['ConflictError', ConflictError, 'Conflict'],
    ['AuthenticationError', AuthenticationError, 'Not authenticated'],
    ['ServiceUnavailableError', ServiceUnavailableError, 'Service unavailable'],
  ])(
    'passes the message of a %s through to the caller',
    (name, ErrorClass, prefix) => {
      const message =
        'No entity component:default/x, find the ref with catalog_search';
      const { failure, logger } = classify(new ErrorClass(message));
      expect(failure).toEqual({
        kind: 'caller-error',
        name,
        message: `${prefix}: ${message}`,
      });
      expect(logger.error).not.toHaveBeenCalled();
    },
  );

  it.each([
    [
      'a ResponseError-like error',
      Object.assign(new Error('Request failed with 404 Not Found'), {
        name: 'ResponseError',
        cause: Object.assign(new Error('No entity named checkout'), {
          name: 'NotFoundError',
        }),
      }),
      'NotFoundError',
      'Not found: No entity named checkout',
    ],
  ])('unwraps the remote cause of %s', (_name, error, name, message) => {
    const { failure } = classify(error);
    expect(failure).toEqual({ kind: 'caller-error', name, message });
  });

  it.each([
    [403, 'NotAllowedError', 'Not allowed: Refresh denied by policy'],
    [400, 'InputError', 'Invalid input: Refresh denied by policy'],
  ])(
    'unwraps a real ResponseError from a %s answer',
    async (status, name, message) => {
      const error = await remoteError(status, name, 'Refresh denied by policy');
      expect(error.name).toBe('ResponseError');
      const { failure, logger } = classify(error);
      expect(failure).toEqual({ kind: 'caller-error', name, message });
      expect(logger.error).not.toHaveBeenCalled();
    },
  );

  it.each([
    [
      'a TypeError',
      new TypeError(
        "Cannot read properties of undefined (reading 'secretField')",
      ),
      'TypeError',
    ],
    [
      'an Error with a secret in its message',
      new Error('connect to postgres://admin:s3cr3t@db failed'),
      'Error',
    ],
    ['a thrown string', 'boom: s3cr3t', 'Error'],
    ['a thrown object', { code: 'E_S3CR3T' }, 'Error'],
  ])(
    'hides %s behind a generic message with a reference, and logs it',
    (_name, error, name) => {
      const { failure, logger } = classify(error);
      expect(failure.kind).toBe('internal-error');
      expect(failure.name).toBe(name);
      expect(failure.message).toBe(
        `The tool catalog_get_entity failed unexpectedly (reference ${REFERENCE}). ` +
          "The error was logged for the portal's operators; retrying may help, otherwise report the reference.",
      );
      expect(failure.message).not.toMatch(/s3cr3t|secretField|S3CR3T|\n\s+at /);
      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(logger.error).toHaveBeenCalledWith(
        `MCP tool catalog_get_entity failed (reference ${REFERENCE})`,
        expect.any(Error),
      );
    },
  );

  it('logs the original error, stack included, for operators', () => {
    const error = new Error('database exploded');
    const { logger } = classify(error);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(REFERENCE),
      error,
    );
  });

  it('does not trust an unknown remote cause', async () => {
    const error = await remoteError(
      500,
      'DatabaseError',
      'relation "final_entities" does not exist',
    );
    const { failure, logger } = classify(error);
    expect(failure).toMatchObject({
      kind: 'internal-error',
      name: 'DatabaseError',
    });
    expect(failure.message).not.toContain('final_entities');
    // The wrapper, with its response, is what operators need.
    expect(logger.error).toHaveBeenCalledWith(expect.any(String), error);
  });
});
