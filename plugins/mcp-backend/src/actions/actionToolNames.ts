import { createHash } from 'node:crypto';

const MAX_TOOL_NAME = 64;
const MAX_TOOLSET_NAME = 32;
const TOOLSET_SUFFIX = '-actions';

const words = (text: string) =>
  text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/**
 * The toolset of a plugin's bridged actions, e.g. `catalog-actions`: apart
 * from the native toolsets, so that `mcp.toolsets: [catalog]` keeps meaning
 * the native catalog tools.
 */
export function actionToolsetName(pluginId: string): string {
  const joined = words(pluginId).join('-');
  const base = (/^[a-z]/.test(joined) ? joined : `p-${joined}`)
    .slice(0, MAX_TOOLSET_NAME - TOOLSET_SUFFIX.length)
    .replace(/-+$/, '');
  return `${base}${TOOLSET_SUFFIX}`;
}

/** What the names of a plugin's bridged tools start with, e.g. `catalog_`. */
export function actionToolNamePrefix(pluginId: string): string {
  const joined = words(pluginId).join('_');
  return /^[a-z]/.test(joined) ? `${joined}_` : `a_${joined}_`;
}

/** `catalog:unregister-entity` → `catalog_unregister_entity`, at most 64 characters. */
function baseToolName(pluginId: string, actionName: string): string {
  const safe = `${actionToolNamePrefix(pluginId)}${words(actionName).join(
    '_',
  )}`.replace(/_+$/, '');
  if (safe.length <= MAX_TOOL_NAME) return safe;
  // Long names keep their start and a digest of the whole id, so that two
  // long names with the same start stay apart and stay stable.
  const digest = createHash('sha256')
    .update(`${pluginId}:${actionName}`)
    .digest('hex')
    .slice(0, 8);
  return `${safe.slice(0, MAX_TOOL_NAME - 9).replace(/_+$/, '')}_${digest}`;
}

/**
 * Tool names for actions, in the order given (sort by action id for names
 * that do not depend on listing order). A name already taken (a native or
 * extension tool, or an earlier action) gets `_2`, `_3`, … so that the
 * plugin's own tools always keep their names.
 */
export function assignActionToolNames(
  actions: ReadonlyArray<{ pluginId: string; name: string }>,
  taken: Iterable<string>,
): string[] {
  const used = new Set(taken);
  return actions.map(action => {
    const base = baseToolName(action.pluginId, action.name);
    let name = base;
    for (let n = 2; used.has(name); n++) {
      const suffix = `_${n}`;
      name = `${base.slice(0, MAX_TOOL_NAME - suffix.length)}${suffix}`;
    }
    used.add(name);
    return name;
  });
}
