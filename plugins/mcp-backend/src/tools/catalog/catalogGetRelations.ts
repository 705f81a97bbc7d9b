import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { loadEntity } from '../shared/entityRefs';
import {
  ENTITY_SUMMARY_FIELDS,
  summarizeEntity,
} from '../shared/entitySummary';
import { entityRefField, truncationHintField } from '../shared/fields';
import { INVERSE_RELATION } from '../shared/relations';
import { defineTool } from '../types';

/**
 * Followed by default: what an entity needs at runtime, through APIs to the
 * components that provide them ("what does checkout depend on").
 */
const DEFAULT_OUTGOING = ['dependsOn', 'consumesApi', 'apiProvidedBy'];

const nodeSchema = z.object({
  ref: z.string(),
  kind: z.string().optional(),
  title: z.string().optional(),
  type: z.string().optional(),
  owner: z.string().optional(),
  depth: z.number().describe('Hops from the starting entity (0 is the start)'),
  missing: z
    .boolean()
    .optional()
    .describe('True when the entity does not exist or you may not read it'),
});

/** `catalog_get_relations`: walk the relation graph up to three hops. */
export function createCatalogGetRelationsTool(deps: {
  catalog: CatalogService;
}) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_get_relations',
    title: 'Walk catalog relations',
    toolset: 'catalog',
    description: [
      'Walk relations up to 3 hops: "what does checkout-service depend on" (outgoing) or "what breaks if payments-db goes down" (incoming). Nodes with depth, and edges; details: catalog_get_entity.',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      direction: z
        .enum(['outgoing', 'incoming'])
        .default('outgoing')
        .describe('outgoing: what it depends on; incoming: what depends on it'),
      relation_types: z
        .array(z.string().min(1).max(50))
        .min(1)
        .max(14)
        .optional()
        .describe(
          'From dependent to dependency: dependsOn, consumesApi, apiProvidedBy (default), providesApi, partOf, ownedBy, childOf, memberOf',
        ),
      depth: z.number().int().min(1).max(3).default(1).describe('Hops to walk'),
      max_nodes: z
        .number()
        .int()
        .min(1)
        .max(500)
        .default(100)
        .describe('Stop after this many entities'),
    }),
    outputSchema: z.object({
      root: z.string(),
      relation_types: z.array(z.string()).describe('Followed from each entity'),
      nodes: z.array(nodeSchema),
      edges: z.array(
        z.object({ source: z.string(), type: z.string(), target: z.string() }),
      ),
      truncation_hint: truncationHintField,
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const requested = input.relation_types ?? DEFAULT_OUTGOING;
      const types =
        input.direction === 'outgoing'
          ? requested
          : requested.map(type => INVERSE_RELATION[type] ?? type);

      const root = await loadEntity({
        catalog,
        credentials,
        input: input.ref,
        defaultKind: 'component',
      });
      const rootRef = stringifyEntityRef(root);
      const nodes = new Map<string, z.infer<typeof nodeSchema>>([
        [rootRef, { ...pick(root), depth: 0 }],
      ]);
      const edges: Array<{ source: string; type: string; target: string }> = [];
      let frontier: Entity[] = [root];
      let cut = false;

      for (
        let depth = 1;
        depth <= input.depth && frontier.length > 0 && !cut;
        depth++
      ) {
        const next: string[] = [];
        for (const entity of frontier) {
          const source = stringifyEntityRef(entity);
          for (const relation of entity.relations ?? []) {
            if (!types.includes(relation.type)) continue;
            edges.push({
              source,
              type: relation.type,
              target: relation.targetRef,
            });
            if (
              nodes.has(relation.targetRef) ||
              next.includes(relation.targetRef)
            )
              continue;
            if (nodes.size + next.length >= input.max_nodes) {
              cut = true;
              continue;
            }
            next.push(relation.targetRef);
          }
        }
        if (next.length === 0) break;
        // One batched read per hop, whatever the fan-out.
        const { items } = await catalog.getEntitiesByRefs(
          { entityRefs: next, fields: ENTITY_SUMMARY_FIELDS },
          { credentials },
        );
        const reached: Entity[] = [];
        for (const [index, ref] of next.entries()) {
          const entity = items[index];
          if (entity) {
            nodes.set(ref, { ...pick(entity), depth });
            reached.push(entity);
          } else {
            nodes.set(ref, { ref, depth, missing: true });
          }
        }
        frontier = reached;
      }

      const unknownTypes = requested.filter(
        type => !(type in INVERSE_RELATION),
      );
      const hints = [
        cut
          ? `Stopped at max_nodes=${input.max_nodes}; raise it (up to 500), lower depth, or narrow relation_types`
          : undefined,
        unknownTypes.length && edges.length === 0
          ? `No relations of type ${unknownTypes.join(
              ', ',
            )} were found. Relation types are case-sensitive; the built-in ones are ${Object.keys(
              INVERSE_RELATION,
            ).join(', ')}`
          : undefined,
      ].filter(Boolean);
      return {
        root: rootRef,
        relation_types: types,
        nodes: [...nodes.values()],
        edges: edges.filter(e => nodes.has(e.target)),
        truncation_hint: hints.length ? hints.join('. ') : undefined,
      };
    },
  });
}

function pick(entity: Entity) {
  const { ref, kind, title, type, owner } = summarizeEntity(entity);
  return { ref, kind, title, type, owner };
}
