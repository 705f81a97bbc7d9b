/*
 * One catalog read and one "who am I", served four ways by the same backend
 * process: the catalog's REST API, this plugin's native tools, this plugin's
 * actions bridge, and Backstage's own MCP plugin
 * (@backstage/plugin-mcp-actions-backend, at /api/mcp-actions/v1).
 */
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { Call, mcpCall, restCall, restSequence } from './calls';

export const ENTITY = {
  kind: 'component',
  namespace: 'default',
  name: 'checkout-service',
};
export const ENTITY_REF = `${ENTITY.kind}:${ENTITY.namespace}/${ENTITY.name}`;

/**
 * The official plugin's who-am-i refuses service principals and needs the
 * caller's User entity, which the demo's guest does not have: the bench
 * backend signs its guest in as this catalog user instead.
 */
export const BENCH_USER_REF = 'user:default/marcus.chen';

/** catalog_search's page size in the search rows, and the REST query's. */
const SEARCH_LIMIT = 20;

export interface ComparisonRow {
  group:
    | 'get entity'
    | 'get entity as a user'
    | 'search 20'
    | 'owner'
    | 'who am I';
  label: string;
  /** Which credentials the row calls with. */
  caller: 'static token' | 'user token';
  call: Call;
}

export function comparisonRows(
  baseUrl: string,
  tokens: { agent: string; user: string },
): ComparisonRow[] {
  const ours = `${baseUrl}/api/mcp`;
  const official = `${baseUrl}/api/mcp-actions/v1`;
  const { agent, user } = tokens;
  const get = 'get entity' as const;
  const getAsUser = 'get entity as a user' as const;
  const search = 'search 20' as const;
  const owner = 'owner' as const;
  const who = 'who am I' as const;
  const byName = `${baseUrl}/api/catalog/entities/by-name/${ENTITY.kind}/${ENTITY.namespace}/${ENTITY.name}`;
  return [
    {
      group: get,
      label: `REST GET /api/catalog/entities/by-name/${ENTITY.kind}/${ENTITY.namespace}/${ENTITY.name}`,
      caller: 'static token',
      call: restCall(byName, agent),
    },
    ...(['2025-11-25', '2026-07-28'] as const).map(era => ({
      group: get,
      label: `ours catalog_get_entity (${era})`,
      caller: 'static token' as const,
      call: mcpCall(ours, agent, era, 'catalog_get_entity', {
        ref: ENTITY_REF,
      }),
    })),
    {
      group: get,
      label: 'ours, bridged: catalog_get_catalog_entity (2025-11-25)',
      caller: 'static token',
      call: mcpCall(
        ours,
        agent,
        '2025-11-25',
        'catalog_get_catalog_entity',
        ENTITY,
      ),
    },
    {
      group: get,
      label:
        'official mcp-actions 0.2.2: catalog.get-catalog-entity (2025-11-25)',
      caller: 'static token',
      call: mcpCall(
        official,
        agent,
        '2025-11-25',
        'catalog.get-catalog-entity',
        ENTITY,
      ),
    },
    // The demo policy decides a user's catalog reads conditionally, and
    // mcp.tool.invoke for users: a permission round trip on both sides.
    {
      group: getAsUser,
      label: `REST GET /api/catalog/entities/by-name/${ENTITY.kind}/${ENTITY.namespace}/${ENTITY.name}`,
      caller: 'user token',
      call: restCall(byName, user),
    },
    {
      group: getAsUser,
      label: 'ours catalog_get_entity (2025-11-25)',
      caller: 'user token',
      call: mcpCall(ours, user, '2025-11-25', 'catalog_get_entity', {
        ref: ENTITY_REF,
      }),
    },
    {
      group: search,
      label: `REST GET /api/catalog/entities/by-query?limit=${SEARCH_LIMIT}`,
      caller: 'static token',
      call: restCall(
        `${baseUrl}/api/catalog/entities/by-query?limit=${SEARCH_LIMIT}`,
        agent,
      ),
    },
    {
      group: search,
      label: `ours catalog_search limit ${SEARCH_LIMIT} (2025-11-25)`,
      caller: 'static token',
      call: mcpCall(ours, agent, '2025-11-25', 'catalog_search', {
        limit: SEARCH_LIMIT,
      }),
    },
    // The owner, with its contacts and members: over REST, the entity, then
    // its owner, then the owner's members (20, catalog_get_owner's default).
    {
      group: owner,
      label: 'REST: the entity, its owner, then its members by refs',
      caller: 'static token',
      call: restSequence(agent, [
        () => ({ url: byName }),
        (entity: Entity) => {
          const ref = parseEntityRef(
            entity.relations!.find(r => r.type === 'ownedBy')!.targetRef,
          );
          return {
            url: `${baseUrl}/api/catalog/entities/by-name/${ref.kind}/${ref.namespace}/${ref.name}`,
          };
        },
        (group: Entity) => ({
          url: `${baseUrl}/api/catalog/entities/by-refs`,
          init: {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              entityRefs: (group.relations ?? [])
                .filter(r => r.type === 'hasMember')
                .slice(0, 20)
                .map(r => r.targetRef),
            }),
          },
        }),
      ]),
    },
    {
      group: owner,
      label: 'ours catalog_get_owner (2025-11-25)',
      caller: 'static token',
      call: mcpCall(ours, agent, '2025-11-25', 'catalog_get_owner', {
        ref: ENTITY_REF,
      }),
    },
    {
      group: who,
      label: 'REST GET /api/auth/v1/userinfo',
      caller: 'user token',
      call: restCall(`${baseUrl}/api/auth/v1/userinfo`, user),
    },
    ...(['2025-11-25', '2026-07-28'] as const).map(era => ({
      group: who,
      label: `ours whoami (${era})`,
      caller: 'user token' as const,
      call: mcpCall(ours, user, era, 'whoami', {}),
    })),
    {
      group: who,
      label: 'ours, bridged: auth_who_am_i (2025-11-25)',
      caller: 'user token',
      call: mcpCall(ours, user, '2025-11-25', 'auth_who_am_i', {}),
    },
    {
      group: who,
      label: 'official mcp-actions 0.2.2: auth.who-am-i (2025-11-25)',
      caller: 'user token',
      call: mcpCall(official, user, '2025-11-25', 'auth.who-am-i', {}),
    },
  ];
}

/** Our bridged tools are listed once every plugin has started: wait for them. */
export async function waitForBridgedTools(
  rows: ComparisonRow[],
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (const row of rows) {
    for (;;) {
      try {
        await row.call();
        break;
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`${row.label} never answered: ${error}`);
        await new Promise(resolve => setTimeout(resolve, 500));
      }
    }
  }
}
