import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { loadEntity } from '../shared/entityRefs';
import { entitySummarySchema, summarizeEntity } from '../shared/entitySummary';
import {
  entityRefField,
  responseFormatField,
  truncationHintField,
} from '../shared/fields';
import {
  loadSummaries,
  relatedEntitySchema,
  toRelatedEntity,
} from '../shared/relations';
import { defineTool } from '../types';

/** Annotations that only matter to the catalog's own machinery. */
const NOISY_ANNOTATION = /^backstage\.io\/(managed-by-|source-location|edit-url|view-url)/;

function conciseAnnotations(entity: Entity) {
  const entries = Object.entries(entity.metadata.annotations ?? {}).filter(
    ([key]) => !NOISY_ANNOTATION.test(key),
  );
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** The spec without an API's definition, which api_get_spec serves in budgeted pieces. */
function specWithoutDefinition(entity: Entity) {
  const { definition, ...spec } = (entity.spec ?? {}) as Record<string, unknown>;
  return {
    spec,
    definitionChars: typeof definition === 'string' ? definition.length : undefined,
  };
}

/** `catalog_get_entity`: one entity with its relations resolved. */
export function createCatalogGetEntityTool(deps: { catalog: CatalogService }) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_get_entity',
    title: 'Get a catalog entity with its relations',
    toolset: 'catalog',
    description: [
      'Read one entity of the software catalog by ref, with its relations resolved into readable summaries: owner, system, domain, provided and consumed APIs, dependencies, dependents, parts, parent and children, members.',
      'Use it after catalog_search gave you a ref, or directly with a known name. Example: {"ref": "component:default/checkout-service"} or {"ref": "checkout-service"}.',
      "An API's definition is not included (only its size): call api_get_spec for it. For contact details of the owner, call catalog_get_owner; to walk dependencies further, catalog_get_relations.",
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField('component', 'component:default/checkout-service'),
      max_related: z
        .number()
        .int()
        .min(1)
        .max(200)
        .default(25)
        .describe('Most related entities listed per relation type (default 25)'),
      response_format: responseFormatField,
    }),
    outputSchema: z.object({
      entity: entitySummarySchema.extend({
        namespace: z.string(),
        annotations: z.record(z.string(), z.string()).optional(),
        labels: z.record(z.string(), z.string()).optional(),
        links: z
          .array(z.object({ url: z.string(), title: z.string().optional() }))
          .optional(),
        spec: z.record(z.string(), z.unknown()).optional(),
        definition_chars: z
          .number()
          .optional()
          .describe('Size of the API definition; read it with api_get_spec'),
      }),
      relations: z
        .record(z.string(), z.array(relatedEntitySchema))
        .describe(
          'Related entities by relation type, e.g. ownedBy, partOf, providesApi, consumesApi, dependsOn, dependencyOf, hasPart, childOf, parentOf, hasMember, memberOf',
        ),
      truncation_hint: truncationHintField,
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const entity = await loadEntity({
        catalog,
        credentials,
        input: input.ref,
        defaultKind: 'component',
      });

      const byType = new Map<string, string[]>();
      let omitted = 0;
      for (const relation of entity.relations ?? []) {
        const targets = byType.get(relation.type) ?? [];
        if (targets.length < input.max_related) targets.push(relation.targetRef);
        else omitted += 1;
        byType.set(relation.type, targets);
      }
      const summaries = await loadSummaries(
        catalog,
        [...byType.values()].flat(),
        credentials,
      );
      const relations = Object.fromEntries(
        [...byType].map(([type, refs]) => [
          type,
          refs.map(ref => toRelatedEntity(ref, summaries.get(ref))),
        ]),
      );

      const detailed = input.response_format === 'detailed';
      const { spec, definitionChars } = specWithoutDefinition(entity);
      return {
        entity: {
          ...summarizeEntity(entity),
          ...(detailed ? { description: entity.metadata.description } : {}),
          namespace: entity.metadata.namespace ?? 'default',
          annotations: detailed ? entity.metadata.annotations : conciseAnnotations(entity),
          labels: detailed ? entity.metadata.labels : undefined,
          links: entity.metadata.links?.map(l => ({ url: l.url, title: l.title })),
          spec,
          definition_chars: definitionChars,
        },
        relations,
        truncation_hint: omitted
          ? `${omitted} related entities were left out; raise max_related (up to 200) or use catalog_get_relations with relation_types to page through one relation type`
          : undefined,
      };
    },
  });
}
