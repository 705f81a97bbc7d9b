import { InputError } from '@backstage/errors';
import { parse, stringify } from 'yaml';
import { truncate } from '../shared/entityRefs';

/** A parsed YAML or JSON mapping. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` if it is a mapping, else an empty one, for tolerant reading. */
export function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

/** The mapping at `key` of `value`, or an empty one, for tolerant reading. */
export function objectAt(value: unknown, key: string): JsonObject {
  return asObject(asObject(value)[key]);
}

/**
 * Parses a definition (JSON is YAML too) into a mapping, or explains to the
 * agent that only the unfiltered text can be read.
 */
export function parseDefinition(text: string, ref: string): JsonObject {
  let parsed: unknown;
  let problem: string | undefined;
  try {
    parsed = parse(text);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  if (problem === undefined && !isObject(parsed)) {
    problem = 'the document is not a mapping of keys to values';
  }
  if (problem !== undefined) {
    throw new InputError(
      `The definition of ${ref} is not valid YAML or JSON (${truncate(
        problem.split('\n')[0],
        200,
      )}), ` +
        'so it cannot be cut down or converted. Read it as stored: call api_get_spec without paths, operations, channels and format',
    );
  }
  return parsed as JsonObject;
}

/** Serializes a definition tree; stable, so that offsets stay valid between calls. */
export function serializeDefinition(
  document: JsonObject,
  format: 'yaml' | 'json',
): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  // Long descriptions stay on one line and shared nodes are written out in
  // full: anchors and folded lines make a cut-down spec harder to read.
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}
