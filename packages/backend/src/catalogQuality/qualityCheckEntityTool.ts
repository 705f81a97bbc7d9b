import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createMcpTool } from '@backstage-mcp/plugin-mcp-node';
import { z } from 'zod';
import { ownerRefOf, qualityChecks } from './qualityChecks';

function parseRef(input: string) {
  try {
    return stringifyEntityRef(
      parseEntityRef(input, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    );
  } catch {
    throw new InputError(
      `"${input.slice(
        0,
        100,
      )}" is not an entity ref; use kind:namespace/name, e.g. component:default/payment-service`,
    );
  }
}

/** `quality_check_entity`: the demo's catalog-hygiene checks of one entity, as the caller. */
export function createQualityCheckEntityTool(deps: {
  catalog: CatalogService;
}) {
  return createMcpTool({
    name: 'quality_check_entity',
    title: 'Check the catalog hygiene of an entity',
    toolset: 'quality',
    description: [
      "An entity against the platform team's onboarding checklist (description, existing owner, tags, links, lifecycle, system; TechDocs and source for components): a 0-100 score and each failed check with the catalog-info.yaml field to add. Check an edited descriptor: catalog_validate_entity.",
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: z
        .string()
        .min(1)
        .max(300)
        .describe('Entity ref [kind:][namespace/]name, e.g. "cart-service"'),
    }),
    outputSchema: z.object({
      ref: z.string().describe('The entity checked'),
      score: z.number().describe('Share of checks passed, 0 to 100'),
      failed: z
        .array(
          z.object({
            check: z.string(),
            fix: z.string().describe('What to add to catalog-info.yaml'),
          }),
        )
        .describe('Failed checks, each with its fix'),
      passed: z.array(z.string()).describe('Names of the checks passed'),
    }),
    annotations: {
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    downstreamPermissions: [catalogEntityReadPermission],
    async handle({ ref: input }, { credentials }) {
      const ref = parseRef(input);
      const entity = await deps.catalog.getEntityByRef(ref, { credentials });
      if (!entity)
        throw new NotFoundError(
          `No entity ${ref} was found, or you may not see it. Find refs with catalog_search`,
        );
      const ownerRef = ownerRefOf(entity);
      const owner = ownerRef
        ? await deps.catalog.getEntityByRef(ownerRef, { credentials })
        : undefined;
      const checks = qualityChecks(entity, Boolean(owner));
      const passed = checks.filter(c => c.passed);
      return {
        ref: stringifyEntityRef(entity),
        score: Math.round((passed.length / checks.length) * 100),
        failed: checks
          .filter(c => !c.passed)
          .map(c => ({ check: c.check, fix: c.fix! })),
        passed: passed.map(c => c.check),
      };
    },
  });
}
