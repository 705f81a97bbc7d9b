import type { ToolJsonSchema } from './toolInventory';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Bounds that only say "a number": zod writes them for every `.int()`. */
const isSafeIntegerBound = (key: string, value: unknown) =>
  (key === 'minimum' || key === 'maximum') &&
  Math.abs(value as number) === Number.MAX_SAFE_INTEGER;

/**
 * Size limits the server enforces with a message naming the field; listed,
 * they cost every session context and tell a model nothing it acts on.
 */
const ENFORCED_LIMITS = new Set([
  'maxLength',
  'maxItems',
  'maxProperties',
  'minLength',
  'minItems',
]);

/**
 * Also enforced with a message naming the field, and as little use to a
 * model: an object closed to unknown keys (the message names the key; in
 * output schemas the server writes the object), and the floor of a count
 * (no model asks for a page of -1 or 0 hops).
 */
const isEnforcedAnyway = (key: string, value: unknown, schema: Json) =>
  (key === 'additionalProperties' && value === false) ||
  (key === 'minimum' &&
    schema.type === 'integer' &&
    (value === 0 || value === 1));

/** Keywords that describe a subschema rather than name properties. */
const SUBSCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SUBSCHEMA_MAPS = new Set([
  'properties',
  '$defs',
  'definitions',
  'patternProperties',
]);

/**
 * Keywords that say nothing: property names are strings anyway, `{}` allows
 * anything, and a pattern next to a format only spells the format out.
 */
function saysNothing(key: string, value: unknown, schema: Json) {
  if (key === 'propertyNames') {
    return (
      isObject(value) &&
      value.type === 'string' &&
      Object.keys(value).every(k => k === 'type' || ENFORCED_LIMITS.has(k))
    );
  }
  if (key === 'additionalProperties')
    return isObject(value) && Object.keys(value).length === 0;
  return key === 'pattern' && typeof schema.format === 'string';
}

/**
 * A schema that states its dialect (`$schema`, set in the tool's zod
 * metadata) is listed exactly as stated: its author chose every keyword.
 */
const statesDialect = (schema: ToolJsonSchema) => '$schema' in schema;

function compact(
  schema: unknown,
  keepDescription: (depth: number) => boolean,
  depth: number,
): unknown {
  if (!isObject(schema)) return schema;
  const result: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ENFORCED_LIMITS.has(key) || isSafeIntegerBound(key, value)) continue;
    if (isEnforcedAnyway(key, value, schema) || saysNothing(key, value, schema))
      continue;
    if (key === 'description' && !keepDescription(depth)) continue;
    if (SUBSCHEMA_MAPS.has(key) && isObject(value)) {
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [
          name,
          compact(sub, keepDescription, depth + 1),
        ]),
      );
    } else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) {
      // A union's branches belong to the field: no deeper than it.
      result[key] = value.map(sub => compact(sub, keepDescription, depth));
    } else if (
      (key === 'items' || key === 'additionalProperties' || key === 'not') &&
      isObject(value)
    ) {
      result[key] = compact(value, keepDescription, depth);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/**
 * A tool's input schema as `tools/list` shows it: what a model needs to
 * call the tool (types, enums, defaults, required fields, a description on
 * every field), without the limits the server enforces anyway.
 */
export function listedInputSchema(schema: ToolJsonSchema): ToolJsonSchema {
  if (statesDialect(schema)) return schema;
  return compact(schema, () => true, 0) as ToolJsonSchema;
}

/**
 * A tool's output schema as `tools/list` shows it: the shape clients
 * validate `structuredContent` against, with descriptions of the top-level
 * fields only. Models do not see output schemas; every client downloads
 * and compiles them.
 */
export function listedOutputSchema(schema: ToolJsonSchema): ToolJsonSchema {
  if (statesDialect(schema)) return schema;
  return compact(schema, depth => depth <= 1, 0) as ToolJsonSchema;
}
