import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/** One hygiene check of an entity, and what to do when it fails. */
export interface QualityCheck {
  check: string;
  passed: boolean;
  /** What to add to catalog-info.yaml; only when the check failed. */
  fix?: string;
}

const ANNOTATIONS = {
  techdocs: 'backstage.io/techdocs-ref',
  source: 'backstage.io/source-location',
};

/** Kinds whose spec carries lifecycle and system in the default model. */
const SYSTEM_KINDS = ['component', 'api', 'resource'];
const LIFECYCLE_KINDS = ['component', 'api'];

/**
 * The checks a platform team runs on every entity before it counts as
 * onboarded. `ownerFound` says whether the owner ref names an entity the
 * caller can read.
 */
export function qualityChecks(
  entity: Entity,
  ownerFound: boolean,
): QualityCheck[] {
  const kind = entity.kind.toLowerCase();
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const annotations = entity.metadata.annotations ?? {};
  const checks: Array<[string, boolean, string]> = [
    [
      'description',
      Boolean(entity.metadata.description?.trim()),
      'metadata.description: one sentence on what it is for',
    ],
    [
      'owner',
      ownerFound,
      'spec.owner: a group that exists in the catalog, e.g. group:default/payments-team',
    ],
    [
      'tags',
      (entity.metadata.tags ?? []).length > 0,
      'metadata.tags: e.g. [java, payments]',
    ],
    [
      'links',
      (entity.metadata.links ?? []).length > 0,
      'metadata.links: a dashboard or runbook URL with a title',
    ],
  ];
  if (LIFECYCLE_KINDS.includes(kind)) {
    checks.push([
      'lifecycle',
      typeof spec.lifecycle === 'string',
      'spec.lifecycle: experimental, production or deprecated',
    ]);
  }
  if (SYSTEM_KINDS.includes(kind)) {
    checks.push([
      'system',
      typeof spec.system === 'string',
      'spec.system: the system it belongs to',
    ]);
  }
  if (kind === 'component') {
    checks.push(
      [
        'techdocs',
        Boolean(annotations[ANNOTATIONS.techdocs]),
        `metadata.annotations.${ANNOTATIONS.techdocs}: dir:.`,
      ],
      [
        'source',
        Boolean(annotations[ANNOTATIONS.source]),
        `metadata.annotations.${ANNOTATIONS.source}: url:<repository>`,
      ],
    );
  }
  return checks.map(([check, passed, fix]) =>
    passed ? { check, passed } : { check, passed, fix },
  );
}

/** The owner's ref, resolved against the entity's namespace, when it has one. */
export function ownerRefOf(entity: Entity): string | undefined {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  return stringifyEntityRef(
    parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}
