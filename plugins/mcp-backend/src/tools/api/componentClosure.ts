import { isObject, JsonObject } from './documentTree';

/**
 * Top-level keys that hold reusable parts, and how many pointer segments name
 * one part: "#/components/schemas/Money" (OpenAPI 3, AsyncAPI) or
 * "#/definitions/Money" (Swagger 2).
 */
const REUSABLE_ROOTS: Record<string, number> = {
  components: 3,
  definitions: 2,
  parameters: 2,
  responses: 2,
  securityDefinitions: 2,
};

/** Whether a top-level key holds reusable parts that a selection prunes. */
export function isReusableRoot(key: string): boolean {
  return key in REUSABLE_ROOTS;
}

/** The segments of a local JSON pointer ref such as "#/components/schemas/a~1b". */
export function localRefSegments(ref: string): string[] | undefined {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map(segment => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // hand-written refs may hold a bare "%"; read them literally
      }
      return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** The local ref to a part, escaped so that {@link localRefSegments} reverses it. */
export function localRef(...segments: string[]): string {
  return `#/${segments
    .map(s => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/')}`;
}

/** Every `$ref` string anywhere under `node`. */
export function collectRefs(
  node: unknown,
  refs: string[] = [],
  seen = new WeakSet<object>(),
) {
  if (typeof node !== 'object' || node === null || seen.has(node)) return refs;
  // YAML aliases can make a tree share or even contain itself.
  seen.add(node);
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, refs, seen);
    return refs;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') refs.push(value);
    else collectRefs(value, refs, seen);
  }
  return refs;
}

function valueAt(document: unknown, path: string[]): unknown {
  let node = document;
  for (const segment of path) {
    if (
      !isObject(node) ||
      !Object.prototype.hasOwnProperty.call(node, segment)
    ) {
      return undefined;
    }
    node = node[segment];
  }
  return node;
}

/**
 * The reusable parts that `roots` reference, directly or through other parts,
 * as top-level entries to merge into a cut-down definition (e.g.
 * `{ components: { schemas: { Money: ... } } }`), in the document's order.
 * Refs into other files or to parts that do not exist are left as they are.
 */
export function componentClosure(
  document: JsonObject,
  roots: unknown[],
  extraRefs: string[] = [],
): JsonObject {
  const included = new Set<string>();
  const queue = [...collectRefs(roots), ...extraRefs];
  while (queue.length) {
    const segments = localRefSegments(queue.pop()!);
    const depth = segments && REUSABLE_ROOTS[segments[0]];
    if (!segments || !depth || segments.length < depth) continue;
    const path = segments.slice(0, depth);
    const key = JSON.stringify(path);
    if (included.has(key)) continue;
    const part = valueAt(document, path);
    if (part === undefined) continue;
    // Marking before walking is what ends cycles such as a schema that
    // refers to itself.
    included.add(key);
    queue.push(...collectRefs(part));
  }

  const pick = (node: unknown, path: string[], remaining: number): unknown => {
    if (remaining === 0)
      return included.has(JSON.stringify(path)) ? node : undefined;
    if (!isObject(node)) return undefined;
    const kept = Object.entries(node)
      .map(
        ([key, value]) =>
          [key, pick(value, [...path, key], remaining - 1)] as const,
      )
      .filter(([, value]) => value !== undefined);
    return kept.length ? Object.fromEntries(kept) : undefined;
  };

  const result: JsonObject = {};
  for (const [key, value] of Object.entries(document)) {
    const depth = REUSABLE_ROOTS[key];
    if (!depth) continue;
    const picked = pick(value, [key], depth - 1);
    if (picked !== undefined) result[key] = picked;
  }
  return result;
}

/**
 * Refs to the security schemes that security requirements name: they are
 * referenced by name, not by `$ref`, so the closure would miss them.
 */
export function securitySchemeRefs(requirements: unknown): string[] {
  if (!Array.isArray(requirements)) return [];
  return requirements
    .filter(isObject)
    .flatMap(requirement => Object.keys(requirement))
    .flatMap(name => [
      localRef('components', 'securitySchemes', name),
      localRef('securityDefinitions', name),
    ]);
}

/**
 * Builds the cut-down document: the document's own keys in their order, with
 * `replaced` keys swapped for their selected parts, `kept` keys copied, and
 * the reusable parts pruned to what the result references.
 */
export function buildSelectedDocument(options: {
  document: JsonObject;
  replaced: JsonObject;
  kept: readonly string[];
  extraRefs?: string[];
}): JsonObject {
  const { document, replaced, kept, extraRefs } = options;
  const body: [string, unknown][] = [];
  for (const [key, value] of Object.entries(document)) {
    if (key in replaced) body.push([key, replaced[key]]);
    else if (kept.includes(key)) body.push([key, value]);
    else if (isReusableRoot(key)) body.push([key, undefined]);
  }
  const reusable = componentClosure(
    document,
    body.filter(([key]) => !isReusableRoot(key)).map(([, value]) => value),
    extraRefs,
  );
  return Object.fromEntries(
    body
      .map(
        ([key, value]) =>
          [key, isReusableRoot(key) ? reusable[key] : value] as const,
      )
      .filter(([, value]) => value !== undefined),
  );
}
