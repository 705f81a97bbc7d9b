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
export function createCatalogRefreshEntityTool(deps: {
  catalog: CatalogService;
}) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_refresh_entity',
    title: 'Refresh a catalog entity',
    toolset: 'catalog',
    description: [
      "Have the catalog re-read an entity's catalog-info.yaml now, after it changed. Asynchronous: catalog_get_entity shows the result seconds later.",
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
    }),
    outputSchema: z.object({
      ref: z.string(),
      refresh_scheduled: z.boolean(),
      next_step: z.string(),
    }),
    downstreamPermissions: [
      catalogEntityReadPermission,
      catalogEntityRefreshPermission,
    ],
    annotations: {
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      // A refresh reads the entity's source, often an external repository.
      openWorldHint: true,
    },
    async handle(input, { credentials }) {
      const entity = await loadEntity({
        catalog,
        credentials,
        input: input.ref,
        defaultKind: 'component',
      });
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
