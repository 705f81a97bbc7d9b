import { JsonValue } from '@backstage/types';
import { looksLikeSecretKey } from '../secretKeys';

const MAX_STRING = 200;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;

/**
 * A bounded, secret-free copy of tool arguments for audit events: values under
 * secret-looking keys are replaced, long strings and lists are cut, so that an
 * audit trail never holds a secret or an agent's megabyte payload.
 */
export function summarizeArguments(value: unknown, depth = 0): JsonValue {
  if (
    value === null ||
    typeof value === 'boolean' ||
    typeof value === 'number'
  ) {
    return value;
  }
  if (typeof value === 'string') {
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}… (${value.length} chars)`
      : value;
  }
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) {
    const items = value
      .slice(0, MAX_ITEMS)
      .map(v => summarizeArguments(v, depth + 1));
    if (value.length > MAX_ITEMS)
      items.push(`… ${value.length - MAX_ITEMS} more`);
    return items;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const summary: Record<string, JsonValue> = {};
    for (const [key, item] of entries.slice(0, MAX_ITEMS)) {
      summary[key] = looksLikeSecretKey(key)
        ? '[redacted]'
        : summarizeArguments(item, depth + 1);
    }
    if (entries.length > MAX_ITEMS)
      summary['…'] = `${entries.length - MAX_ITEMS} more keys`;
    return summary;
  }
  return String(value);
}

/**
 * The audit summary of a tool call's arguments. Fields listed as opaque
 * (e.g. template values, which may hold secrets under any name) are recorded
 * by their keys only.
 */
export function summarizeToolArguments(
  args: unknown,
  opaqueFields: readonly string[] = [],
): JsonValue {
  if (
    !opaqueFields.length ||
    !args ||
    typeof args !== 'object' ||
    Array.isArray(args)
  ) {
    return summarizeArguments(args);
  }
  const visible: Record<string, unknown> = {};
  const opaque: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(args as Record<string, unknown>)) {
    if (!opaqueFields.includes(key)) visible[key] = value;
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      opaque[key] = `[values of: ${Object.keys(value)
        .slice(0, MAX_ITEMS)
        .join(', ')}]`;
    } else opaque[key] = '[redacted]';
  }
  return {
    ...(summarizeArguments(visible) as Record<string, JsonValue>),
    ...opaque,
  };
}
