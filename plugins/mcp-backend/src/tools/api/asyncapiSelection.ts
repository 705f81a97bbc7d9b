import { InputError } from '@backstage/errors';
import { truncate } from '../shared/entityRefs';
import {
  buildSelectedDocument,
  localRefSegments,
  securitySchemeRefs,
} from './componentClosure';
import { isObject, JsonObject, objectAt } from './documentTree';

/** Top-level keys a cut-down AsyncAPI definition keeps whole. */
const KEPT_KEYS = ['asyncapi', 'id', 'info', 'servers', 'defaultContentType'];

/** What an AsyncAPI selection kept, and which selectors matched nothing. */
export interface AsyncApiSelection {
  document: JsonObject;
  selection: { channels: string[]; unmatched?: string[] };
}

/** AsyncAPI 3 moved operations out of channels into a top-level map. */
export function isAsyncApi3(document: JsonObject) {
  return String(document.asyncapi ?? '').startsWith('3');
}

/** The channel key an AsyncAPI 3 operation's `channel: {$ref}` points to. */
export function operationChannel(operation: unknown): string | undefined {
  const ref = objectAt(operation, 'channel').$ref;
  const segments = typeof ref === 'string' ? localRefSegments(ref) : undefined;
  return segments?.length === 2 && segments[0] === 'channels'
    ? segments[1]
    : undefined;
}

/**
 * Cuts an AsyncAPI definition (2.x or 3) down to the selected channels,
 * matched by name or address, exactly or by prefix, plus what they reference.
 */
export function selectAsyncApi(
  document: JsonObject,
  input: { channels: string[] },
): AsyncApiSelection {
  const v3 = isAsyncApi3(document);
  const channels = objectAt(document, 'channels');
  const selected = new Set<string>();
  const unmatched: string[] = [];
  for (const selector of input.channels) {
    const prefix = selector.trim();
    const matches = Object.entries(channels)
      .filter(([name, channel]) => {
        const address = v3 && isObject(channel) ? channel.address : undefined;
        return (
          name.startsWith(prefix) ||
          (typeof address === 'string' && address.startsWith(prefix))
        );
      })
      .map(([name]) => name);
    if (!matches.length) unmatched.push(selector);
    matches.forEach(name => selected.add(name));
  }

  if (!selected.size) {
    const available = Object.keys(channels);
    throw new InputError(
      `No channel of this definition matches ${truncate(
        JSON.stringify(unmatched),
        300,
      )}. ` +
        `Channels match by name exactly or by prefix. Available channels (${available.length}): ` +
        `${available.slice(0, 15).join(', ')}${
          available.length > 15 ? ', …' : ''
        }`,
    );
  }

  const selectedChannels = Object.fromEntries(
    Object.entries(channels).filter(([name]) => selected.has(name)),
  );
  const replaced: JsonObject = { channels: selectedChannels };
  const securityRefs: string[] = [];
  if (v3) {
    replaced.operations = Object.fromEntries(
      Object.entries(objectAt(document, 'operations')).filter(([, operation]) =>
        selected.has(operationChannel(operation) ?? ''),
      ),
    );
  } else {
    // In 2.x, security requirements name schemes instead of referencing them.
    for (const server of Object.values(objectAt(document, 'servers'))) {
      if (isObject(server))
        securityRefs.push(...securitySchemeRefs(server.security));
    }
    for (const channel of Object.values(selectedChannels)) {
      for (const action of ['publish', 'subscribe']) {
        securityRefs.push(
          ...securitySchemeRefs(objectAt(channel, action).security),
        );
      }
    }
  }

  return {
    document: buildSelectedDocument({
      document,
      replaced,
      kept: KEPT_KEYS,
      extraRefs: securityRefs,
    }),
    selection: {
      channels: Object.keys(selectedChannels),
      unmatched: unmatched.length ? unmatched : undefined,
    },
  };
}
