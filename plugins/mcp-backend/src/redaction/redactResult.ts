import { RedactionAliases } from '../tools/types';
import {
  MASK,
  RedactionAction,
  RedactionRules,
} from '../config/redactionConfig';

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

const samePath = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Masks every string inside a value, so that its shape (and output schema) holds. */
function masked(value: unknown): unknown {
  if (typeof value === 'string') return MASK;
  if (Array.isArray(value)) return value.map(masked);
  if (isObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, masked(v)]),
    );
  }
  return MASK;
}

/**
 * The key of `node` that names `segment`, compared without letter case: the
 * catalog lowercases field names in filters and facets, so a rule must not
 * depend on how a caller or a result spells them.
 */
function keyOf(node: Json, segment: string): string | undefined {
  if (segment in node) return segment;
  const wanted = segment.toLowerCase();
  return Object.keys(node).find(key => key.toLowerCase() === wanted);
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
  const key = isObject(node) ? keyOf(node, segments[0]) : undefined;
  if (!key) return false;
  const parent = node as Json;
  if (segments.length === 1) {
    restrict(parent, key, action);
    return true;
  }
  return applyPath(parent[key], segments.slice(1), action);
}

/** Every value at a dot path's segments below `node`; lists on the way are traversed. */
export function valuesAt(
  node: unknown,
  segments: readonly string[],
): unknown[] {
  if (segments.length === 0) return [node];
  if (Array.isArray(node))
    return node.flatMap(item => valuesAt(item, segments));
  const key = isObject(node) ? keyOf(node, segments[0]) : undefined;
  return key ? valuesAt((node as Json)[key], segments.slice(1)) : [];
}

/**
 * The values an entity holds under restricted fields and annotations, as
 * they could appear in free text about it (strings, numbers).
 */
export function restrictedValuesOf(
  entity: unknown,
  rules: RedactionRules,
): string[] {
  const values = new Set<string>();
  const collect = (node: unknown) => {
    if (typeof node === 'string' || typeof node === 'number')
      values.add(String(node));
    else if (Array.isArray(node)) node.forEach(collect);
    else if (isObject(node)) Object.values(node).forEach(collect);
  };
  for (const rule of rules.fields)
    valuesAt(entity, rule.segments).forEach(collect);
  const annotations = valuesAt(entity, ['metadata', 'annotations'])[0];
  if (isObject(annotations)) {
    for (const [key, value] of Object.entries(annotations)) {
      if (rules.annotations.some(r => r.matches(key))) collect(value);
    }
  }
  // Shorter values would mask ordinary words of the text.
  return [...values].filter(value => value.trim().length >= 3);
}

const escapeRegExp = (text: string) =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Masks `values` in every string below `node`, ignoring letter case. A value
 * cut by an excerpt's `…` is masked too: its visible part next to the mark.
 */
function maskValuesIn(
  node: unknown,
  values: readonly string[],
): { value: unknown; masked: boolean } {
  if (!values.length) return { value: node, masked: false };
  const whole = new RegExp(values.map(escapeRegExp).join('|'), 'gi');
  let anyMasked = false;
  const visit = (value: unknown): unknown => {
    if (typeof value === 'string') {
      let text = value.replace(whole, () => {
        anyMasked = true;
        return MASK;
      });
      text = text.replace(
        /(^…?)(\S+)|(\S+)(…$)/g,
        (all, lead, head, tail, mark) => {
          const word = (head ?? tail ?? '').toLowerCase();
          const cut = head !== undefined ? lead === '…' : mark === '…';
          const partOf = (v: string) =>
            head !== undefined
              ? v.toLowerCase().endsWith(word)
              : v.toLowerCase().startsWith(word);
          if (!cut || word.length < 3 || !values.some(partOf)) return all;
          anyMasked = true;
          return head !== undefined ? `${lead}${MASK}` : `${MASK}${mark}`;
        },
      );
      return text;
    }
    if (Array.isArray(value)) return value.map(visit);
    if (isObject(value))
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, visit(v)]),
      );
    return value;
  };
  const value = visit(node);
  return { value, masked: anyMasked };
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
 * names; `entityValues` are the restricted values of the entities that
 * `aliases.entityText` items stand for, by lowercase ref (see
 * {@link restrictedValuesOf}).
 */
export function redactResult<T>(
  input: T,
  rules: RedactionRules,
  aliases: RedactionAliases = {},
  entityValues: ReadonlyMap<string, readonly string[]> = new Map(),
): RedactedResult<T> {
  if (!rules.fields.length && !rules.annotations.length)
    return { value: input, paths: [] };
  // Results may hold objects a service keeps (cached entities): never edit those.
  const value = structuredClone(input);
  const paths = new Set<string>();

  if (aliases.entityText) {
    const { items, ref, text } = aliases.entityText;
    for (const item of valuesAt(value, items.split('.')).flat()) {
      // Items that name no entity (documents of other types) are not entity text.
      if (!isObject(item) || typeof item[ref] !== 'string') continue;
      const values = entityValues.get((item[ref] as string).toLowerCase());
      for (const field of text) {
        if (!(field in item)) continue;
        if (!values) {
          // Text about an entity whose fields cannot be checked is left out.
          delete item[field];
          paths.add(`${items}.${field}`);
          continue;
        }
        const result = maskValuesIn(item[field], values);
        item[field] = result.value;
        if (result.masked) paths.add(`${items}.${field}`);
      }
    }
  }

  for (const [at, source] of Object.entries(aliases.fields ?? {})) {
    for (const rule of rules.fields.filter(r => samePath(r.path, source))) {
      if (applyPath(value, at.split('.'), rule.action)) paths.add(rule.path);
    }
  }
  for (const at of aliases.annotationEntries ?? []) {
    for (const list of valuesAt(value, at.split('.'))) {
      if (!Array.isArray(list)) continue;
      for (let i = list.length - 1; i >= 0; i--) {
        const entry = list[i];
        const label =
          isObject(entry) && typeof entry.label === 'string'
            ? entry.label
            : undefined;
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
    const lowerName = fieldName.toLowerCase();
    const annotationKey = lowerName.startsWith('metadata.annotations.')
      ? fieldName.slice('metadata.annotations.'.length)
      : undefined;
    const restricted =
      rules.fields.find(r => {
        const path = r.path.toLowerCase();
        return lowerName === path || lowerName.startsWith(`${path}.`);
      })?.path ??
      (annotationKey && rules.annotations.some(r => r.matches(annotationKey))
        ? fieldName
        : undefined);
    if (restricted && applyPath(value, named.values.split('.'), 'mask'))
      paths.add(restricted);
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
