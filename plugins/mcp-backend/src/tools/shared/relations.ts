import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import {
  ENTITY_SUMMARY_FIELDS,
  EntitySummary,
  summarizeEntity,
} from './entitySummary';

/** A relation target as agents see it: the ref plus a few readable fields. */
export const relatedEntitySchema = z.object({
  ref: z.string(),
  kind: z.string().optional(),
  title: z.string().optional(),
  type: z.string().optional(),
  description: z.string().optional(),
  missing: z
    .boolean()
    .optional()
    .describe('True when the target does not exist or you may not read it'),
});

export type RelatedEntity = z.infer<typeof relatedEntitySchema>;

/** Inverse relation types, for walking relations in either direction. */
export const INVERSE_RELATION: Record<string, string> = {
  ownedBy: 'ownerOf',
  ownerOf: 'ownedBy',
  dependsOn: 'dependencyOf',
  dependencyOf: 'dependsOn',
  providesApi: 'apiProvidedBy',
  apiProvidedBy: 'providesApi',
  consumesApi: 'apiConsumedBy',
  apiConsumedBy: 'consumesApi',
  partOf: 'hasPart',
  hasPart: 'partOf',
  childOf: 'parentOf',
  parentOf: 'childOf',
  memberOf: 'hasMember',
  hasMember: 'memberOf',
};

/**
 * Loads summaries of many entities in one batched catalog call. Refs that do
 * not resolve (missing, or hidden from the caller) map to undefined.
 */
export async function loadSummaries(
  catalog: CatalogService,
  refs: string[],
  credentials: BackstageCredentials,
): Promise<Map<string, EntitySummary | undefined>> {
  const unique = [...new Set(refs)];
  const result = new Map<string, EntitySummary | undefined>();
  if (unique.length === 0) return result;
  const { items } = await catalog.getEntitiesByRefs(
    { entityRefs: unique, fields: ENTITY_SUMMARY_FIELDS },
    { credentials },
  );
  unique.forEach((ref, index) => {
    const entity = items[index] as Entity | null | undefined;
    result.set(ref, entity ? summarizeEntity(entity) : undefined);
  });
  return result;
}

export function toRelatedEntity(
  ref: string,
  summary: EntitySummary | undefined,
): RelatedEntity {
  if (!summary) return { ref, missing: true };
  return {
    ref: summary.ref,
    kind: summary.kind,
    title: summary.title,
    type: summary.type,
    description: summary.description,
  };
}

/** The target refs of one relation type (already normalized by the catalog). */
export function relationTargets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => r.targetRef);
}
