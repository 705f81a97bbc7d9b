import { InputError } from '@backstage/errors';
import { truncate } from '../shared/entityRefs';
import { buildSelectedDocument, securitySchemeRefs } from './componentClosure';
import { asObject, isObject, JsonObject, objectAt } from './documentTree';

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

/** Top-level keys a cut-down OpenAPI (or Swagger 2) definition keeps whole. */
const KEPT_KEYS = [
  'openapi',
  'swagger',
  'info',
  'jsonSchemaDialect',
  'servers',
  'security',
  'host',
  'basePath',
  'schemes',
  'consumes',
  'produces',
];

/** What an OpenAPI selection kept, and which selectors matched nothing. */
export interface OpenApiSelection {
  document: JsonObject;
  selection: { paths?: string[]; operations?: string[]; unmatched?: string[] };
}

function normalizePath(path: string) {
  const trimmed = path.trim();
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/**
 * Finds the operations one selector names: "METHOD /path" (the path exactly)
 * or an operationId (case-insensitive, since agents retype them).
 */
function matchOperation(
  paths: JsonObject,
  selector: string,
): [string, string][] {
  const methodAndPath = /^([A-Za-z]+)\s+(\S.*)$/.exec(selector.trim());
  if (methodAndPath && HTTP_METHODS.includes(methodAndPath[1].toLowerCase())) {
    const method = methodAndPath[1].toLowerCase();
    const path = normalizePath(methodAndPath[2]);
    return isObject(objectAt(paths, path)[method]) ? [[path, method]] : [];
  }
  const wanted = selector.trim().toLowerCase();
  return Object.entries(paths).flatMap(([path, item]) =>
    HTTP_METHODS.filter(method => {
      const operation = objectAt(item, method);
      return (
        typeof operation.operationId === 'string' &&
        operation.operationId.toLowerCase() === wanted
      );
    }).map(method => [path, method] as [string, string]),
  );
}

/**
 * Cuts an OpenAPI definition down to the selected paths (exact or prefix)
 * and operations, plus the components they reference.
 */
export function selectOpenApi(
  document: JsonObject,
  input: { paths?: string[]; operations?: string[] },
): OpenApiSelection {
  const paths = objectAt(document, 'paths');
  const wholePaths = new Set<string>();
  const methodsByPath = new Map<string, Set<string>>();
  const unmatched: string[] = [];

  for (const selector of input.paths ?? []) {
    const prefix = normalizePath(selector);
    const matches = Object.keys(paths).filter(path => path.startsWith(prefix));
    if (!matches.length) unmatched.push(selector);
    matches.forEach(path => wholePaths.add(path));
  }
  for (const selector of input.operations ?? []) {
    const matches = matchOperation(paths, selector);
    if (!matches.length) unmatched.push(selector);
    for (const [path, method] of matches) {
      methodsByPath.set(
        path,
        (methodsByPath.get(path) ?? new Set()).add(method),
      );
    }
  }

  const selectedPaths: JsonObject = {};
  const operations: string[] = [];
  const securityRefs = securitySchemeRefs(document.security);
  for (const [path, item] of Object.entries(paths)) {
    const methods = methodsByPath.get(path);
    if (!wholePaths.has(path) && !methods) continue;
    // Path-level keys (parameters, servers, summary) apply to every
    // operation of the path, so they stay with a single selected operation.
    const kept =
      wholePaths.has(path) || !isObject(item)
        ? item
        : Object.fromEntries(
            Object.entries(item).filter(
              ([key]) => !HTTP_METHODS.includes(key) || methods!.has(key),
            ),
          );
    selectedPaths[path] = kept;
    for (const [method, operation] of Object.entries(asObject(kept))) {
      if (!HTTP_METHODS.includes(method) || !isObject(operation)) continue;
      securityRefs.push(...securitySchemeRefs(operation.security));
      if (!wholePaths.has(path))
        operations.push(`${method.toUpperCase()} ${path}`);
    }
  }

  if (!Object.keys(selectedPaths).length) {
    const available = Object.keys(paths);
    throw new InputError(
      `No path or operation of this definition matches ${truncate(
        JSON.stringify(unmatched),
        300,
      )}. ` +
        `Paths match exactly or by prefix, operations as "METHOD /path" or operationId. ` +
        `Available paths (${available.length}): ${available
          .slice(0, 15)
          .join(', ')}` +
        `${
          available.length > 15 ? ', …' : ''
        }. Call api_get_spec without a selection for the full outline`,
    );
  }

  return {
    document: buildSelectedDocument({
      document,
      replaced: { paths: selectedPaths },
      kept: KEPT_KEYS,
      extraRefs: securityRefs,
    }),
    selection: {
      paths: wholePaths.size
        ? Object.keys(selectedPaths).filter(p => wholePaths.has(p))
        : undefined,
      operations: operations.length ? operations : undefined,
      unmatched: unmatched.length ? unmatched : undefined,
    },
  };
}
