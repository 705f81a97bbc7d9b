import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { z } from 'zod';
import { readOnlyAnnotations } from '../annotations';
import { loadEntity, parseRefInput } from '../shared/entityRefs';
import { compact } from '../shared/entitySummary';
import { entityRefField, truncationHintField } from '../shared/fields';
import { relationTargets } from '../shared/relations';
import { defineTool } from '../types';

/** Annotations that name a way to reach a team (chat, paging, on-call). */
const CONTACT_ANNOTATION =
  /slack|teams|chat|channel|pagerduty|opsgenie|oncall|on-call|email|mail/i;
const MEMBER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'spec.profile',
];

const personSchema = z.object({
  ref: z.string(),
  display_name: z.string().optional(),
  email: z.string().optional(),
});

const ownerSchema = z.object({
  ref: z.string(),
  kind: z.string().optional(),
  missing: z
    .boolean()
    .optional()
    .describe(
      'True when the owner does not exist in the catalog or you may not read it',
    ),
  display_name: z.string().optional(),
  description: z.string().optional(),
  email: z.string().optional(),
  contacts: z
    .array(z.object({ label: z.string(), value: z.string() }))
    .optional()
    .describe(
      'Links and contact annotations: chat channels, paging services, on-call pages',
    ),
  parent: z.string().optional().describe('Parent group ref, to escalate'),
  members: z
    .array(personSchema)
    .optional()
    .describe('Members of an owning group'),
  members_total: z.number().optional(),
});

function profileOf(entity: Entity) {
  return (
    (
      (entity.spec ?? {}) as {
        profile?: { displayName?: string; email?: string };
      }
    ).profile ?? {}
  );
}

function contactsOf(entity: Entity) {
  const links = (entity.metadata.links ?? []).map(link => ({
    label: link.title ?? link.type ?? 'link',
    value: link.url,
  }));
  const annotations = Object.entries(entity.metadata.annotations ?? {})
    .filter(([key]) => CONTACT_ANNOTATION.test(key))
    .map(([label, value]) => ({ label, value }));
  return [...links, ...annotations];
}

/** What the answer reads of the entity and of its owners. */
const OWNER_READ_FIELDS = ['kind', 'metadata', 'spec.profile', 'relations'];

/**
 * The entity and, from the same catalog read, the owners the caller may
 * read: one query for the entity itself or any entity whose ownerOf
 * relation names it. An entity the caller may not read is not found, so its
 * owners are never shown. A ref without a kind is resolved first (see
 * loadEntity) and its owners are read afterwards.
 */
async function readEntityWithOwners(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  input: string,
): Promise<{ entity: Entity; owners: Map<string, Entity> }> {
  const { ref, kindGiven } = parseRefInput(input, 'component');
  if (kindGiven) {
    const refText = stringifyEntityRef(ref);
    const { items } = await catalog.getEntities(
      {
        filter: [
          {
            kind: ref.kind,
            'metadata.namespace': ref.namespace,
            'metadata.name': ref.name,
          },
          { 'relations.ownerof': refText },
        ],
        fields: OWNER_READ_FIELDS,
      },
      { credentials },
    );
    const byRef = new Map(items.map(item => [stringifyEntityRef(item), item]));
    const entity = byRef.get(refText);
    if (entity) return { entity, owners: byRef };
  }
  const entity = await loadEntity({
    catalog,
    credentials,
    input,
    defaultKind: 'component',
  });
  return { entity, owners: new Map() };
}

/** `catalog_get_owner`: who owns an entity and how to reach them. */
export function createCatalogGetOwnerTool(deps: { catalog: CatalogService }) {
  const { catalog } = deps;
  return defineTool({
    name: 'catalog_get_owner',
    title: "Find an entity's owner and contacts",
    toolset: 'catalog',
    description: [
      'Who owns an entity and how to reach them: owning team or person, email, chat and paging contacts, parent group, members. What a team owns: catalog_list_owned_entities.',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      max_members: z
        .number()
        .int()
        .min(0)
        .max(200)
        .default(20)
        .describe('Most members per owning group; 0 for none'),
    }),
    outputSchema: z.object({
      entity: z.string(),
      owners: z.array(ownerSchema),
      truncation_hint: truncationHintField,
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    // Owners and members are reshaped: restrictions on their profiles and
    // contact annotations must follow them here.
    redactionAliases: {
      fields: {
        'owners.email': 'spec.profile.email',
        'owners.members.email': 'spec.profile.email',
        'owners.display_name': 'spec.profile.displayName',
        'owners.members.display_name': 'spec.profile.displayName',
      },
      annotationEntries: ['owners.contacts'],
    },
    async handle(input, { credentials }) {
      const read = await readEntityWithOwners(catalog, credentials, input.ref);
      const { entity } = read;
      const ref = stringifyEntityRef(entity);
      const ownerRefs = relationTargets(entity, 'ownedBy');
      if (ownerRefs.length === 0) {
        throw new NotFoundError(
          `${ref} has no owner in the catalog (no spec.owner). Its system or domain may have one: call catalog_get_entity on ${ref} to see them`,
        );
      }

      const owners = ownerRefs.every(ownerRef => read.owners.has(ownerRef))
        ? ownerRefs.map(ownerRef => read.owners.get(ownerRef))
        : (
            await catalog.getEntitiesByRefs(
              { entityRefs: ownerRefs },
              { credentials },
            )
          ).items;
      const memberRefsByOwner = owners.map(owner =>
        owner ? relationTargets(owner, 'hasMember') : [],
      );
      const wanted = memberRefsByOwner.flatMap(refs =>
        refs.slice(0, input.max_members),
      );
      const members = new Map<string, Entity | null>();
      if (wanted.length) {
        // One batched read for the members of every owning group.
        const { items } = await catalog.getEntitiesByRefs(
          { entityRefs: wanted, fields: MEMBER_FIELDS },
          { credentials },
        );
        wanted.forEach((memberRef, index) =>
          members.set(memberRef, items[index] ?? null),
        );
      }

      let cutMembers = false;
      const result = ownerRefs.map((ownerRef, index) => {
        const owner = owners[index];
        if (!owner) return { ref: ownerRef, missing: true };
        const memberRefs = memberRefsByOwner[index];
        cutMembers ||= memberRefs.length > input.max_members;
        const profile = profileOf(owner);
        const isGroup = owner.kind.toLocaleLowerCase('en-US') === 'group';
        return compact({
          ref: ownerRef,
          kind: owner.kind,
          display_name: profile.displayName ?? owner.metadata.title,
          description: owner.metadata.description,
          email: profile.email,
          contacts: contactsOf(owner),
          parent: relationTargets(owner, 'childOf')[0],
          members: isGroup
            ? memberRefs.slice(0, input.max_members).map(memberRef => {
                const member = members.get(memberRef);
                const memberProfile = member ? profileOf(member) : {};
                return compact({
                  ref: memberRef,
                  display_name:
                    memberProfile.displayName ?? member?.metadata.title,
                  email: memberProfile.email,
                });
              })
            : undefined,
          members_total: isGroup ? memberRefs.length : undefined,
        });
      });

      return {
        entity: ref,
        owners: result,
        truncation_hint: cutMembers
          ? 'Some members were left out; raise max_members (up to 200) to see more'
          : undefined,
      };
    },
  });
}
