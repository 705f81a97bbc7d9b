import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  catalogEntityReadPermission,
  catalogEntityRefreshPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { loadEntity } from '../shared/entityRefs';
import { entityRefField } from '../shared/fields';
import { defineTool } from '../types';

/** `catalog_refresh_entity`: ask the catalog to re-read an entity's source. */
export function createCatalogRefreshEntityTool(deps: { catalog: CatalogService }) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_refresh_entity',
    title: 'Refresh a catalog entity from its source',
    toolset: 'catalog',
    description: [
      "Schedule a refresh of one catalog entity: the catalog re-reads the entity's source (e.g. its catalog-info.yaml in the repository) and updates it. Use it after a descriptor was changed, instead of waiting for the next processing cycle.",
      'Refreshing is asynchronous: call catalog_get_entity again after a few seconds. The catalog decides with its own permission (catalog.entity.refresh). Example: {"ref": "component:default/checkout-service"}.',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
    }),
    outputSchema: z.object({
      ref: z.string(),
      refresh_scheduled: z.boolean(),
      next_step: z.string(),
    }),
    downstreamPermissions: [catalogEntityReadPermission, catalogEntityRefreshPermission],
    annotations: {
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      // A refresh reads the entity's source, often an external repository.
      openWorldHint: true,
    },
    async handle(input, { credentials }) {
      const entity = await loadEntity({ catalog, credentials, input: input.ref, defaultKind: 'component' });
      const ref = stringifyEntityRef(entity);
      await catalog.refreshEntity(ref, { credentials });
      return {
        ref,
        refresh_scheduled: true,
        next_step: `Call catalog_get_entity {"ref": "${ref}"} in a few seconds to see the refreshed entity`,
      };
    },
  });
}
