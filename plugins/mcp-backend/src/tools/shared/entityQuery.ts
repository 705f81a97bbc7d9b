import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { normalizeRef } from './entityRefs';

/**
 * A filter input that takes one value or a list of alternatives. The tool's
 * description says once that a list means any of its values.
 */
export function stringOrListField(description: string) {
  return z
    .union([
      z.string().min(1).max(200),
      z.array(z.string().min(1).max(200)).min(1).max(20),
    ])
    .optional()
    .describe(description);
}

type StringOrList = string | string[] | undefined;

/** The filters agents use most, by their plain names. */
export interface EntityCriteria {
  kind?: StringOrList;
  type?: StringOrList;
  owner?: StringOrList;
  system?: StringOrList;
  lifecycle?: StringOrList;
  tags?: StringOrList;
  namespace?: StringOrList;
  /** Extra field filters, field path to value(s). */
  filter?: Record<string, string | string[]>;
}

function asList(value: StringOrList) {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

/**
 * Translates criteria to a catalog filter. Owners and systems are matched on
 * relations, which hold full refs, so "payments-team" and
 * "group:default/payments-team" find the same entities.
 */
export function buildEntityFilter(criteria: EntityCriteria) {
  const filter: Record<string, string | string[]> = {};
  // One value goes as a plain string: the in-memory catalog that plugins
  // test against stops at the first list-valued key, while the real catalog
  // ANDs them all; strings behave the same in both.
  const add = (key: string, values: string[] | undefined) => {
    if (values?.length) filter[key] = values.length === 1 ? values[0] : values;
  };
  add('kind', asList(criteria.kind));
  add('spec.type', asList(criteria.type));
  add(
    'relations.ownedBy',
    asList(criteria.owner)?.map(o => normalizeRef(o, 'group')),
  );
  add(
    'relations.partOf',
    asList(criteria.system)?.map(s => normalizeRef(s, 'system')),
  );
  add('spec.lifecycle', asList(criteria.lifecycle));
  add('metadata.tags', asList(criteria.tags));
  add('metadata.namespace', asList(criteria.namespace));
  for (const [key, value] of Object.entries(criteria.filter ?? {})) {
    add(key, asList(value));
  }
  return Object.keys(filter).length ? filter : undefined;
}

/** Fields the free-text query is matched against. */
const FULL_TEXT_FIELDS = [
  'metadata.name',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec.type',
  'spec.profile.displayName',
];

/**
 * One page of a catalog query. A cursor carries the original query, so the
 * catalog ignores filters next to it; only the page size and fields go along.
 */
export function queryEntityPage(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  request: {
    cursor?: string;
    limit: number;
    fields?: string[];
    filter?: Record<string, string | string[]>;
    query?: string;
    orderBy?: string;
  },
) {
  const { cursor, limit, fields } = request;
  if (cursor) {
    return catalog.queryEntities({ cursor, limit, fields }, { credentials });
  }
  const term = request.query?.trim();
  return catalog.queryEntities(
    {
      filter: request.filter,
      fullTextFilter: term ? { term, fields: FULL_TEXT_FIELDS } : undefined,
      orderFields: [
        { field: request.orderBy ?? 'metadata.name', order: 'asc' },
      ],
      limit,
      fields,
    },
    { credentials },
  );
}
