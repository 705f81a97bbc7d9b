import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';
import { truncate } from './entityRefs';

const DESCRIPTION_CHARS = 300;

/** The concise form of an entity used in every list result. */
export const entitySummarySchema = z.object({
  ref: z
    .string()
    .describe('Full entity ref, e.g. "component:default/checkout-service"'),
  kind: z.string(),
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  type: z
    .string()
    .optional()
    .describe('spec.type, e.g. service, website, openapi'),
  lifecycle: z.string().optional(),
  owner: z.string().optional().describe('Owner entity ref'),
  system: z.string().optional().describe('System entity ref'),
  tags: z.array(z.string()).optional(),
});

export type EntitySummary = z.infer<typeof entitySummarySchema>;

/**
 * The catalog fields that {@link summarizeEntity} reads: pass them as the
 * `fields` of a catalog query so that only these travel.
 */
export const ENTITY_SUMMARY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.system',
  'relations',
];

function firstRelationTarget(entity: Entity, type: string, kind?: string) {
  return entity.relations?.find(
    r => r.type === type && (!kind || r.targetRef.startsWith(`${kind}:`)),
  )?.targetRef;
}

function normalizeSpecRef(entity: Entity, value: unknown, defaultKind: string) {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
      }),
    );
  } catch {
    return value;
  }
}

/** Drops undefined and empty values, so concise results stay small. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0),
    ),
  ) as T;
}

/** The concise form of an entity; relations are preferred over raw spec. */
export function summarizeEntity(entity: Entity): EntitySummary {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const description = entity.metadata.description;
  return compact({
    ref: stringifyEntityRef(entity),
    kind: entity.kind,
    name: entity.metadata.name,
    title: entity.metadata.title,
    description: description
      ? truncate(description, DESCRIPTION_CHARS)
      : undefined,
    type: typeof spec.type === 'string' ? spec.type : undefined,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
    owner:
      firstRelationTarget(entity, RELATION_OWNED_BY) ??
      normalizeSpecRef(entity, spec.owner, 'group'),
    system:
      firstRelationTarget(entity, RELATION_PART_OF, 'system') ??
      normalizeSpecRef(entity, spec.system, 'system'),
    tags: entity.metadata.tags,
  });
}
