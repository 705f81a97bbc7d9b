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
      "Checks one catalog entity against the platform team's onboarding checklist: description, an owner that exists, tags, links, lifecycle and system, TechDocs and source location for components.",
      'Returns a score from 0 to 100 and each failed check with the catalog-info.yaml field to add.',
      'Example: {"ref": "component:default/cart-service"}. Next: catalog_validate_entity to check an edited descriptor.',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: z
        .string()
        .min(1)
        .max(300)
        .describe(
          'The entity, e.g. "component:default/cart-service" or "cart-service" (kind defaults to component)',
        ),
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
