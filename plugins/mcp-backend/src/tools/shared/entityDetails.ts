import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { entitySummarySchema, summarizeEntity } from './entitySummary';
import { truncationHintField } from './fields';
import {
  loadSummaries,
  relatedEntitySchema,
  toRelatedEntity,
} from './relations';

/** Annotations that only matter to the catalog's own machinery. */
const NOISY_ANNOTATION =
  /^backstage\.io\/(managed-by-|source-location|edit-url|view-url)/;

function conciseAnnotations(entity: Entity) {
  const entries = Object.entries(entity.metadata.annotations ?? {}).filter(
    ([key]) => !NOISY_ANNOTATION.test(key),
  );
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** The spec without an API's definition, which api_get_spec serves in budgeted pieces. */
function specWithoutDefinition(entity: Entity) {
  const { definition, ...spec } = (entity.spec ?? {}) as Record<
    string,
    unknown
  >;
  return {
    spec,
    definitionChars:
      typeof definition === 'string' ? definition.length : undefined,
  };
}

/**
 * One entity with its relations resolved: what catalog_get_entity returns
 * and what the entity resource serves, so both stay the same.
 */
export const entityDetailsSchema = z.object({
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
    .describe('By relation type, e.g. ownedBy, partOf, dependsOn'),
  truncation_hint: truncationHintField,
});

/** See {@link entityDetailsSchema}. */
export type EntityDetails = z.input<typeof entityDetailsSchema>;

/**
 * Describes an entity with its relations grouped by type. With
 * `resolveRelated`, each related entity is summarized (title, type,
 * description) from one batched catalog read with the caller's credentials,
 * and those the caller may not read are marked missing; without it the
 * relations are the refs the entity itself carries, and no second read is
 * made.
 */
export async function describeEntityDetails(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  entity: Entity;
  maxRelated: number;
  detailed: boolean;
  resolveRelated: boolean;
}): Promise<EntityDetails> {
  const { catalog, credentials, entity, maxRelated, detailed } = options;
  const byType = new Map<string, string[]>();
  let omitted = 0;
  for (const relation of entity.relations ?? []) {
    const targets = byType.get(relation.type) ?? [];
    if (targets.length < maxRelated) targets.push(relation.targetRef);
    else omitted += 1;
    byType.set(relation.type, targets);
  }
  const summaries = options.resolveRelated
    ? await loadSummaries(catalog, [...byType.values()].flat(), credentials)
    : undefined;
  const relations = Object.fromEntries(
    [...byType].map(([type, refs]) => [
      type,
      refs.map(ref =>
        summaries ? toRelatedEntity(ref, summaries.get(ref)) : { ref },
      ),
    ]),
  );

  const { spec, definitionChars } = specWithoutDefinition(entity);
  return {
    entity: {
      ...summarizeEntity(entity),
      ...(detailed ? { description: entity.metadata.description } : {}),
      namespace: entity.metadata.namespace ?? 'default',
      annotations: detailed
        ? entity.metadata.annotations
        : conciseAnnotations(entity),
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
}
