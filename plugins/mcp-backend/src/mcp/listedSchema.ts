import type { ToolJsonSchema } from './toolCatalog';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Bounds that only say "a number": zod writes them for every `.int()`. */
const isSafeIntegerBound = (key: string, value: unknown) =>
  (key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER;

/**
 * Size limits the server enforces with a message naming the field; listed,
 * they cost every session context and tell a model nothing it acts on.
 */
const ENFORCED_LIMITS = new Set(['maxLength', 'maxItems', 'maxProperties', 'minLength', 'minItems']);

/** Keywords that describe a subschema rather than name properties. */
const SUBSCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SUBSCHEMA_MAPS = new Set(['properties', '$defs', 'definitions', 'patternProperties']);

/**
 * Keywords that say nothing: property names are strings anyway, `{}` allows
 * anything, and a pattern next to a format only spells the format out.
 */
function saysNothing(key: string, value: unknown, schema: Json) {
  if (key === 'propertyNames') {
    return isObject(value) && value.type === 'string' && Object.keys(value).every(k => k === 'type' || ENFORCED_LIMITS.has(k));
  }
  if (key === 'additionalProperties') return isObject(value) && Object.keys(value).length === 0;
  return key === 'pattern' && typeof schema.format === 'string';
}

interface Listing {
  keepDescription: (depth: number) => boolean;
  /** Output schemas only validate what the server sends: closing objects adds nothing. */
  dropClosedObjects: boolean;
}

function compact(schema: unknown, listing: Listing, depth: number): unknown {
  if (!isObject(schema)) return schema;
  const result: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || ENFORCED_LIMITS.has(key) || isSafeIntegerBound(key, value)) continue;
    if (saysNothing(key, value, schema)) continue;
    if (key === 'description' && !listing.keepDescription(depth)) continue;
    if (key === 'additionalProperties' && value === false && listing.dropClosedObjects) continue;
    if (SUBSCHEMA_MAPS.has(key) && isObject(value)) {
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, compact(sub, listing, depth + 1)]),
      );
    } else if (SUBSCHEMA_LISTS.has(key) && Array.isArray(value)) {
      // A union's branches belong to the field: no deeper than it.
      result[key] = value.map(sub => compact(sub, listing, depth));
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
      result[key] = compact(value, listing, depth);
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
  return compact(schema, { keepDescription: () => true, dropClosedObjects: false }, 0) as ToolJsonSchema;
}

/**
 * A tool's output schema as `tools/list` shows it: the shape clients
 * validate `structuredContent` against, with descriptions of the top-level
 * fields only and objects left open. Models do not see output schemas;
 * every client downloads and compiles them.
 */
export function listedOutputSchema(schema: ToolJsonSchema): ToolJsonSchema {
  return compact(schema, { keepDescription: depth => depth <= 1, dropClosedObjects: true }, 0) as ToolJsonSchema;
}
