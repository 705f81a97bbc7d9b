import { cutText } from '../../mcp/textHygiene';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** An entity reference typed by an agent, parsed. */
export interface ParsedRefInput {
  ref: CompoundEntityRef;
  /** False when the agent gave no kind and the default was applied. */
  kindGiven: boolean;
}

/**
 * Parses "kind:namespace/name", "kind:name", "namespace/name" or "name",
 * turning malformed input into an error that shows the expected format.
 */
export function parseRefInput(
  input: string,
  defaultKind: string,
): ParsedRefInput {
  const trimmed = input.trim();
  try {
    const ref = parseEntityRef(trimmed, {
      defaultKind,
      defaultNamespace: DEFAULT_NAMESPACE,
    });
    return {
      ref: {
        kind: ref.kind.toLocaleLowerCase('en-US'),
        namespace: ref.namespace.toLocaleLowerCase('en-US'),
        name: ref.name,
      },
      kindGiven: trimmed.includes(':'),
    };
  } catch {
    throw new InputError(
      `"${truncate(trimmed, 100)}" is not an entity reference. ` +
        `Use "kind:namespace/name", e.g. "component:default/checkout-service", ` +
        `or just the name, e.g. "checkout-service"`,
    );
  }
}

/** Normalizes a reference to the full lowercase-kind string form. */
export function normalizeRef(input: string, defaultKind: string): string {
  return stringifyEntityRef(parseRefInput(input, defaultKind).ref);
}

/**
 * Loads the entity an agent referred to. Without an explicit kind, a name that
 * exists under exactly one kind (or under the default kind) is accepted, so
 * "payments-team" finds the group; ambiguity is reported with the candidates.
 * Entities the caller may not read are reported as not found.
 */
export async function loadEntity(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  input: string;
  defaultKind: string;
}): Promise<Entity> {
  const { catalog, credentials, input, defaultKind } = options;
  const { ref, kindGiven } = parseRefInput(input, defaultKind);
  const refText = stringifyEntityRef(ref);

  if (kindGiven) {
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw notFound(refText, ref.name);
    return entity;
  }

  const { items } = await catalog.getEntities(
    {
      filter: {
        'metadata.name': ref.name,
        'metadata.namespace': ref.namespace,
      },
      limit: 20,
    },
    { credentials },
  );
  if (items.length === 0) throw notFound(refText, ref.name);
  if (items.length === 1) return items[0];
  const preferred = items.find(
    e => e.kind.toLocaleLowerCase('en-US') === ref.kind,
  );
  if (preferred) return preferred;
  throw new InputError(
    `"${ref.name}" names several entities: ${items
      .map(e => stringifyEntityRef(e))
      .join(', ')}. Pass one of these full refs`,
  );
}

function notFound(refText: string, name: string) {
  return new NotFoundError(
    `No entity ${refText} was found, or you may not read it. ` +
      `Check the ref format "kind:namespace/name", or find the right ref with ` +
      `catalog_search {"query": "${truncate(name, 60)}"}`,
  );
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${cutText(text, max - 1)}…`;
}
