import { RedactionAliases } from '../tools/types';
import { MASK, RedactionAction, RedactionRules } from './redactionConfig';

/** A result with restricted fields removed or masked, and which ones were. */
export interface RedactedResult<T> {
  value: T;
  /**
   * Configured field paths and `metadata.annotations.<key>` paths that were
   * found and restricted, sorted; never their values.
   */
  paths: string[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Masks every string inside a value, so that its shape (and output schema) holds. */
function masked(value: unknown): unknown {
  if (typeof value === 'string') return MASK;
  if (Array.isArray(value)) return value.map(masked);
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, masked(v)]));
  }
  return MASK;
}

function restrict(parent: Json, key: string, action: RedactionAction) {
  if (action === 'remove') delete parent[key];
  else parent[key] = masked(parent[key]);
}

/** Restricts `segments` below `node`; lists on the way are traversed. */
function applyPath(
  node: unknown,
  segments: readonly string[],
  action: RedactionAction,
): boolean {
  if (Array.isArray(node)) {
    return node.map(item => applyPath(item, segments, action)).some(Boolean);
  }
  if (!isObject(node) || !(segments[0] in node)) return false;
  if (segments.length === 1) {
    restrict(node, segments[0], action);
    return true;
  }
  return applyPath(node[segments[0]], segments.slice(1), action);
}

function valuesAt(node: unknown, segments: readonly string[]): unknown[] {
  if (segments.length === 0) return [node];
  if (Array.isArray(node)) return node.flatMap(item => valuesAt(item, segments));
  if (!isObject(node)) return [];
  return valuesAt(node[segments[0]], segments.slice(1));
}

/**
 * Removes or masks restricted fields in a tool result or resource, in place
 * on a copy. A field path applies to every object of the result, at any
 * depth, that has it: `spec.profile.email` matches `spec.profile.email` of
 * the result itself, of `entity`, of every item of a list. Because results
 * lift an entity's metadata to its top level (`entity.annotations`),
 * a path starting with `metadata.` also matches without that prefix.
 * Annotation patterns apply to the keys of every object named
 * `annotations`. `aliases` name where the tool copied fields under other
 * names.
 */
export function redactResult<T>(
  input: T,
  rules: RedactionRules,
  aliases: RedactionAliases = {},
): RedactedResult<T> {
  if (!rules.fields.length && !rules.annotations.length) return { value: input, paths: [] };
  // Results may hold objects a service keeps (cached entities): never edit those.
  const value = structuredClone(input);
  const paths = new Set<string>();

  for (const [at, source] of Object.entries(aliases.fields ?? {})) {
    for (const rule of rules.fields.filter(r => r.path === source)) {
      if (applyPath(value, at.split('.'), rule.action)) paths.add(rule.path);
    }
  }
  for (const at of aliases.annotationEntries ?? []) {
    for (const list of valuesAt(value, at.split('.'))) {
      if (!Array.isArray(list)) continue;
      for (let i = list.length - 1; i >= 0; i--) {
        const entry = list[i];
        const label = isObject(entry) && typeof entry.label === 'string' ? entry.label : undefined;
        const rule = label && rules.annotations.find(r => r.matches(label));
        if (!rule || !label) continue;
        paths.add(`metadata.annotations.${label}`);
        if (rule.action === 'remove') list.splice(i, 1);
        else list[i] = { ...entry, value: MASK };
      }
    }
  }

  const named = aliases.valuesOfField;
  const fieldName = named && valuesAt(value, named.field.split('.'))[0];
  if (named && typeof fieldName === 'string') {
    const annotationKey = fieldName.startsWith('metadata.annotations.')
      ? fieldName.slice('metadata.annotations.'.length)
      : undefined;
    const restricted =
      rules.fields.find(r => fieldName === r.path || fieldName.startsWith(`${r.path}.`))?.path ??
      (annotationKey && rules.annotations.some(r => r.matches(annotationKey))
        ? fieldName
        : undefined);
    if (restricted && applyPath(value, named.values.split('.'), 'mask')) paths.add(restricted);
  }

  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!isObject(node)) return;
    for (const rule of rules.fields) {
      const found = applyPath(node, rule.segments, rule.action);
      const lifted =
        rule.segments.length > 1 &&
        rule.segments[0] === 'metadata' &&
        applyPath(node, rule.segments.slice(1), rule.action);
      if (found || lifted) paths.add(rule.path);
    }
    const annotations = node.annotations;
    if (isObject(annotations)) {
      for (const key of Object.keys(annotations)) {
        const rule = rules.annotations.find(r => r.matches(key));
        if (rule) {
          restrict(annotations, key, rule.action);
          paths.add(`metadata.annotations.${key}`);
        }
      }
    }
    Object.values(node).forEach(visit);
  };
  visit(value);

  return { value, paths: [...paths].sort() };
}
