import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogLocationCreatePermission } from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { defineTool } from '../types';

/** Entities listed in a result; a location can emit many. */
const MAX_LISTED = 50;

function nextStep(
  dryRun: boolean,
  exists: boolean | undefined,
  argsForReal: string,
) {
  if (!dryRun) {
    return 'Registered. The catalog processes the file shortly: call catalog_get_entity on its entities in a few seconds';
  }
  if (exists) return 'This location is registered already; nothing to do';
  return `Nothing was registered. If the user agrees, call catalog_register_location ${argsForReal}`;
}

/** `catalog_register_location`: add a descriptor file to the catalog, dry run by default. */
export function createCatalogRegisterLocationTool(deps: {
  catalog: CatalogService;
}) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_register_location',
    title: 'Register a catalog-info.yaml location',
    toolset: 'catalog',
    description: [
      'Register a catalog-info.yaml URL; the catalog then keeps its entities in sync. The default dry run adds nothing: show the user what it would add, and only with their consent call again with dry_run false. Validate first: catalog_validate_entity.',
    ].join('\n'),
    inputSchema: z.strictObject({
      target: z
        .string()
        .min(1)
        .max(2000)
        .describe('catalog-info.yaml URL, or a path for type file'),
      type: z
        .enum(['url', 'file'])
        .default('url')
        .describe("file: a path on the portal's server, if allowed"),
      dry_run: z.boolean().default(true).describe('false: register'),
    }),
    outputSchema: z.object({
      dry_run: z.boolean(),
      registered: z.boolean(),
      location: z.object({
        id: z.string().optional(),
        type: z.string(),
        target: z.string(),
      }),
      exists: z.boolean().optional().describe('Dry runs: registered already'),
      entities: z.array(z.string()),
      entities_total: z.number(),
      next_step: z.string(),
    }),
    downstreamPermissions: [catalogLocationCreatePermission],
    annotations: {
      readOnlyHint: false,
      destructiveHint: false,
      // A second real registration of the same target fails with a conflict.
      idempotentHint: false,
      // The catalog reads the target, often in an external repository.
      openWorldHint: true,
    },
    async handle(input, { credentials }) {
      const response = await catalog.addLocation(
        { type: input.type, target: input.target, dryRun: input.dry_run },
        { credentials },
      );
      const refs = response.entities.map(entity => stringifyEntityRef(entity));
      const argsForReal = JSON.stringify({
        target: input.target,
        type: input.type,
        dry_run: false,
      });
      return {
        dry_run: input.dry_run,
        registered: !input.dry_run,
        location: {
          ...(input.dry_run ? {} : { id: response.location.id }),
          type: response.location.type,
          target: response.location.target,
        },
        ...(input.dry_run && response.exists !== undefined
          ? { exists: response.exists }
          : {}),
        entities: refs.slice(0, MAX_LISTED),
        entities_total: refs.length,
        next_step: nextStep(input.dry_run, response.exists, argsForReal),
      };
    },
  });
}
