import { z } from 'zod';

/**
 * Input fields that several tools share, so that agents see the same name,
 * format and description everywhere.
 */

export const responseFormatField = z
  .enum(['concise', 'detailed'])
  .default('concise')
  .describe('detailed: all fields');

export const cursorField = z
  .string()
  .max(2000)
  .optional()
  .describe('From next_cursor');

export function pageSizeField(defaultSize: number, maxSize: number) {
  return z
    .number()
    .int()
    .min(1)
    .max(maxSize)
    .default(defaultSize)
    .describe('Page size');
}

/**
 * An entity reference as agents type it. A bare name is resolved with a
 * default kind (the tool's, then across kinds): agents need not know that.
 */
export const entityRefField = z
  .string()
  .min(1)
  .max(500)
  .describe('Entity ref [kind:][namespace/]name');

/** Output: what was cut and how to get it, in words an agent follows. */
export const truncationHintField = z.string().optional();

/** A free-text filter, matched as a case-insensitive substring. */
export function queryField(matchedAgainst: string, example: string) {
  return z
    .string()
    .max(200)
    .optional()
    .describe(`Text in ${matchedAgainst}, e.g. "${example}"`);
}
