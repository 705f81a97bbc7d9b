import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { UriTemplate } from '@modelcontextprotocol/server';
import { describeEntityDetails } from '../tools/shared/entityDetails';
import { truncate } from '../tools/shared/entityRefs';
import { completeEntities, completeFacet } from './entityCompletion';
import { McpResourceTemplate } from './types';

const URI_TEMPLATE = 'backstage://entity/{kind}/{namespace}/{name}';
const MIME_TYPE = 'application/json';

/**
 * The kinds `resources/list` offers: the ones people browse. Every other
 * kind is still readable by URI and completable.
 */
export const LISTED_ENTITY_KINDS = ['Component', 'API', 'System', 'Group'];

/** Related entities per relation type in a resource: the tool's default. */
const MAX_RELATED = 25;

const entityUri = new UriTemplate(URI_TEMPLATE);

/** The resource URI of an entity, e.g. `backstage://entity/component/default/checkout-service`. */
export function entityResourceUri(ref: CompoundEntityRef): string {
  return entityUri.expand({
    kind: ref.kind.toLocaleLowerCase('en-US'),
    namespace: ref.namespace.toLocaleLowerCase('en-US'),
    name: ref.name,
  });
}

function listed(entity: Entity) {
  const ref = {
    kind: entity.kind,
    namespace: entity.metadata.namespace ?? 'default',
    name: entity.metadata.name,
  };
  const description = entity.metadata.description;
  return {
    uri: entityResourceUri(ref),
    name: stringifyEntityRef(ref),
    title: entity.metadata.title ?? entity.metadata.name,
    ...(description ? { description: truncate(description, 200) } : {}),
    mimeType: MIME_TYPE,
  };
}

/**
 * `backstage://entity/...`: a catalog entity with its relations resolved,
 * the same JSON a detailed catalog_get_entity returns, read with the caller's
 * credentials so that an entity the caller may not read is not found.
 */
export function createEntityResourceTemplate(deps: {
  catalog: CatalogService;
}): McpResourceTemplate {
  const { catalog } = deps;
  return {
    uriTemplate: URI_TEMPLATE,
    name: 'catalog_entity',
    title: 'Catalog entity',
    description: [
      'One entity of the software catalog with its relations resolved (owner, system, APIs, dependencies, members...), as JSON: the same content as the catalog_get_entity tool with response_format "detailed".',
      'Example: backstage://entity/component/default/checkout-service. Kind and namespace are lowercase.',
      `resources/list offers ${LISTED_ENTITY_KINDS.join(
        ', ',
      )} entities; every other kind is readable by URI, and completion/complete suggests kinds, namespaces and names.`,
    ].join(' '),
    mimeType: MIME_TYPE,
    sharesPermissionOf: 'catalog_get_entity',

    async read({ uri, variables }, { credentials }) {
      const { kind, namespace, name } = variables;
      if (!kind || !namespace || !name) {
        throw new InputError(
          `"${truncate(
            uri,
            200,
          )}" does not name an entity: use ${URI_TEMPLATE}`,
        );
      }
      const ref = { kind, namespace, name };
      const entity = await catalog.getEntityByRef(ref, { credentials });
      if (!entity) {
        throw new NotFoundError(
          `No entity ${stringifyEntityRef(
            ref,
          )} was found, or you may not read it. Find entities with resources/list, completion/complete or the catalog_search tool`,
        );
      }
      const details = await describeEntityDetails({
        catalog,
        credentials,
        entity,
        maxRelated: MAX_RELATED,
        // What catalog_get_entity returns when detailed: a resource is read
        // once and attached whole, so it is worth the second read.
        detailed: true,
        resolveRelated: true,
      });
      return { uri, mimeType: MIME_TYPE, text: JSON.stringify(details) };
    },

    async list({ cursor, limit }, { credentials }) {
      const page = await catalog.queryEntities(
        cursor
          ? { cursor, limit }
          : {
              filter: { kind: LISTED_ENTITY_KINDS },
              orderFields: [{ field: 'metadata.name', order: 'asc' }],
              limit,
            },
        { credentials },
      );
      return {
        resources: page.items.map(listed),
        nextCursor: page.pageInfo.nextCursor,
      };
    },

    async complete({ variable, value, chosen }, { credentials }) {
      const kind = chosen.kind || undefined;
      const namespace = chosen.namespace || undefined;
      switch (variable) {
        case 'kind':
          return completeFacet({
            catalog,
            credentials,
            facet: 'kind',
            typed: value,
            within: { 'metadata.namespace': namespace },
            lowercase: true,
          });
        case 'namespace':
          return completeFacet({
            catalog,
            credentials,
            facet: 'metadata.namespace',
            typed: value,
            within: { kind },
          });
        case 'name':
          return completeEntities({
            catalog,
            credentials,
            typed: value,
            kind,
            namespace,
            as: 'name',
          });
        default:
          throw new InputError(
            `${URI_TEMPLATE} has no variable "${truncate(
              variable,
              50,
            )}"; complete kind, namespace or name`,
          );
      }
    },
  };
}
