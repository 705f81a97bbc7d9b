import { z } from 'zod';

/**
 * Input fields that several tools share, so that agents see the same name,
 * format and description everywhere.
 */

export const responseFormatField = z
  .enum(['concise', 'detailed'])
  .default('concise')
  .describe(
    'concise (default) returns the fields an agent usually needs; detailed returns everything, at the cost of more tokens',
  );

export const cursorField = z
  .string()
  .max(2000)
  .optional()
  .describe(
    'Opaque cursor from the previous page\'s next_cursor; omit it for the first page',
  );

export function pageSizeField(defaultSize: number, maxSize: number) {
  return z
    .number()
    .int()
    .min(1)
    .max(maxSize)
    .default(defaultSize)
    .describe(`Page size, 1 to ${maxSize} (default ${defaultSize})`);
}

/** An entity reference as agents type it. */
export function entityRefField(defaultKind: string, example: string) {
  return z
    .string()
    .min(1)
    .max(500)
    .describe(
      `Entity reference "kind:namespace/name", e.g. "${example}". ` +
        `The namespace defaults to "default"; the kind defaults to "${defaultKind}"` +
        ', and a bare name is also looked up across kinds when it is unambiguous',
    );
}

export const truncationHintField = z
  .string()
  .optional()
  .describe('Present when the result was cut: what was left out and how to get it');

/** A free-text filter, matched as a case-insensitive substring. */
export function queryField(matchedAgainst: string, example: string) {
  return z
    .string()
    .max(200)
    .optional()
    .describe(
      `Free text, e.g. "${example}"; matched as a case-insensitive substring of ${matchedAgainst}`,
    );
}
