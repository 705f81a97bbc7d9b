import { truncate } from '../shared/entityRefs';
import { isAsyncApi3, operationChannel } from './asyncapiSelection';
import { localRefSegments } from './componentClosure';
import { asObject, isObject, JsonObject, objectAt } from './documentTree';
import { HTTP_METHODS } from './openapiSelection';

/** Outlines are for choosing a selection; past this they cost more than they help. */
export const MAX_OUTLINE_LINES = 200;

const SUMMARY_CHARS = 100;

/** Caps an outline, saying how much was left out and how to see it. */
export function capOutline(lines: string[], selectHint: string): string[] {
  if (lines.length <= MAX_OUTLINE_LINES) return lines;
  return [
    ...lines.slice(0, MAX_OUTLINE_LINES),
    `… ${
      lines.length - MAX_OUTLINE_LINES
    } more entries left out of this outline; ${selectHint}`,
  ];
}

/** "METHOD /path — summary" for every operation, in the document's order. */
export function openApiOutline(document: JsonObject): string[] {
  return Object.entries(objectAt(document, 'paths')).flatMap(([path, item]) =>
    Object.entries(asObject(item))
      .filter(
        ([method, operation]) =>
          HTTP_METHODS.includes(method) && isObject(operation),
      )
      .map(([method, operation]) => {
        const { summary, operationId, deprecated } = asObject(operation);
        const label = summary ?? operationId;
        const about =
          typeof label === 'string' && label.trim()
            ? ` — ${truncate(label.trim().split('\n')[0], SUMMARY_CHARS)}`
            : '';
        return `${method.toUpperCase()} ${path}${about}${
          deprecated === true ? ' (deprecated)' : ''
        }`;
      }),
  );
}

function messageNames(document: JsonObject, message: unknown): string[] {
  if (!isObject(message)) return [];
  if (Array.isArray(message.oneOf)) {
    return message.oneOf.flatMap(m => messageNames(document, m));
  }
  if (typeof message.$ref === 'string') {
    const segments = localRefSegments(message.$ref) ?? [];
    const target = segments.reduce<unknown>(
      (node, key) => asObject(node)[key],
      document,
    );
    const name = asObject(target).name;
    return [
      typeof name === 'string'
        ? name
        : segments[segments.length - 1] ?? message.$ref,
    ];
  }
  const name = message.name ?? message.messageId ?? message.title;
  return [typeof name === 'string' ? name : 'message'];
}

function asyncApi3Outline(document: JsonObject): string[] {
  const operations = Object.entries(objectAt(document, 'operations'));
  return Object.entries(objectAt(document, 'channels')).map(
    ([name, channel]) => {
      const address = asObject(channel).address;
      const actions = operations
        .filter(([, operation]) => operationChannel(operation) === name)
        .map(
          ([id, operation]) =>
            `${asObject(operation).action ?? 'operation'} ${id}`,
        );
      const messages = Object.keys(objectAt(channel, 'messages'));
      const parts = [
        ...actions,
        ...(messages.length ? [`messages: ${messages.join(', ')}`] : []),
      ];
      const at =
        typeof address === 'string' && address !== name ? ` (${address})` : '';
      return `${name}${at}${parts.length ? ` — ${parts.join('; ')}` : ''}`;
    },
  );
}

/** "channel — subscribe: MessageA, MessageB" (2.x), or with operations (3). */
export function asyncApiOutline(document: JsonObject): string[] {
  if (isAsyncApi3(document)) return asyncApi3Outline(document);
  return Object.entries(objectAt(document, 'channels')).map(
    ([name, channel]) => {
      const parts = ['publish', 'subscribe']
        .filter(action => isObject(asObject(channel)[action]))
        .map(action => {
          const names = messageNames(
            document,
            objectAt(channel, action).message,
          );
          return `${action}: ${names.join(', ') || 'message'}`;
        });
      return `${name}${parts.length ? ` — ${parts.join('; ')}` : ''}`;
    },
  );
}
