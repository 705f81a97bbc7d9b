import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CompletionValues } from './types';

/** The most values one completion answer may carry (MCP's limit). */
export const MAX_COMPLETION_VALUES = 100;

type Filter = Record<string, string>;

function definedFilter(
  filter: Record<string, string | undefined>,
): Filter | undefined {
  const entries = Object.entries(filter).filter(([, v]) => v) as Array<
    [string, string]
  >;
  return entries.length ? Object.fromEntries(entries) : undefined;
}

/** Values first that start with what was typed, then those that contain it. */
function rank(values: string[], typed: string) {
  const needle = typed.toLocaleLowerCase('en-US');
  const matching = values.filter(v =>
    v.toLocaleLowerCase('en-US').includes(needle),
  );
  const starts = matching.filter(v =>
    v.toLocaleLowerCase('en-US').startsWith(needle),
  );
  return [...starts, ...matching.filter(v => !starts.includes(v))];
}

function bounded(values: string[], total = values.length): CompletionValues {
  return {
    values: values.slice(0, MAX_COMPLETION_VALUES),
    total,
    hasMore: total > MAX_COMPLETION_VALUES,
  };
}

/**
 * Completes a facet (e.g. `kind`, `metadata.namespace`) from the catalog's
 * facet counts, which only count entities the caller may read.
 */
export async function completeFacet(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  facet: string;
  typed: string;
  within?: Record<string, string | undefined>;
  lowercase?: boolean;
}): Promise<CompletionValues> {
  const { catalog, credentials, facet, typed } = options;
  const { facets } = await catalog.getEntityFacets(
    { facets: [facet], filter: definedFilter(options.within ?? {}) },
    { credentials },
  );
  const values = (facets[facet] ?? []).map(f =>
    options.lowercase ? f.value.toLocaleLowerCase('en-US') : f.value,
  );
  return bounded(rank([...new Set(values)].sort(), typed));
}

/**
 * Completes entity names (or full refs) matching what was typed, narrowed to
 * a kind and namespace when those are known; read with the caller's
 * credentials, so entities the caller may not read are never suggested.
 */
export async function completeEntities(options: {
  catalog: CatalogService;
  credentials: BackstageCredentials;
  typed: string;
  kind?: string;
  namespace?: string;
  as: 'name' | 'ref';
}): Promise<CompletionValues> {
  const { catalog, credentials, kind, namespace } = options;
  // A partly typed ref ("component:default/chec") completes on its name.
  const typed =
    options.as === 'ref'
      ? options.typed.trim().split(/[:/]/).pop()!
      : options.typed.trim();
  const page = await catalog.queryEntities(
    {
      filter: definedFilter({ kind, 'metadata.namespace': namespace }),
      fullTextFilter: typed
        ? { term: typed, fields: ['metadata.name'] }
        : undefined,
      orderFields: [{ field: 'metadata.name', order: 'asc' }],
      limit: MAX_COMPLETION_VALUES,
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
    },
    { credentials },
  );
  const values = page.items.map(entity =>
    options.as === 'ref' ? stringifyEntityRef(entity) : entity.metadata.name,
  );
  // Ranked within the page: the catalog orders by name, not by relevance.
  const ranked =
    options.as === 'name'
      ? rank([...new Set(values)], typed)
      : rankRefs(values, typed);
  return bounded(ranked, Math.max(page.totalItems, ranked.length));
}

function rankRefs(refs: string[], typed: string) {
  const needle = typed.toLocaleLowerCase('en-US');
  const nameOf = (ref: string) =>
    ref.slice(ref.indexOf('/') + 1).toLocaleLowerCase('en-US');
  return [
    ...refs.filter(r => nameOf(r).startsWith(needle)),
    ...refs.filter(r => !nameOf(r).startsWith(needle)),
  ];
}
