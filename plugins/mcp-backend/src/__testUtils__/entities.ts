import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';

/**
 * A small catalog for unit tests of the catalog tools.
 *
 * The in-memory catalog mock does not stitch relations from spec fields, so
 * every entity carries the relations the real catalog would compute, in both
 * directions (ownedBy/ownerOf, hasMember/memberOf, dependsOn/dependencyOf...).
 *
 * The graph:
 * - team-a (child of engineering, members alice and bob) owns the checkout
 *   system, checkout-service, checkout-api and checkout-db.
 * - team-b (child of engineering, member alice) owns payment-service and
 *   payment-api.
 * - alice owns alice-scripts herself.
 * - checkout-service depends on checkout-db and payment-service, and consumes
 *   payment-api; payment-service depends on payments-db, which is NOT in the
 *   catalog (a dangling relation, as the real catalog can have).
 */

type Relation = [type: string, targetRef: string];

export function makeEntity(options: {
  kind: string;
  name: string;
  namespace?: string;
  title?: string;
  description?: string;
  tags?: string[];
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  links?: Array<{ url: string; title?: string; type?: string }>;
  spec?: JsonObject;
  relations?: Relation[];
}): Entity {
  const metadata: Entity['metadata'] = {
    name: options.name,
    namespace: options.namespace ?? 'default',
  };
  if (options.title) metadata.title = options.title;
  if (options.description) metadata.description = options.description;
  if (options.tags) metadata.tags = options.tags;
  if (options.annotations) metadata.annotations = options.annotations;
  if (options.labels) metadata.labels = options.labels;
  if (options.links) metadata.links = options.links;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: options.kind,
    metadata,
    spec: options.spec ?? {},
    relations: (options.relations ?? []).map(([type, targetRef]) => ({
      type,
      targetRef,
    })),
  };
}

export const REFS = {
  engineering: 'group:default/engineering',
  teamA: 'group:default/team-a',
  teamB: 'group:default/team-b',
  alice: 'user:default/alice',
  bob: 'user:default/bob',
  checkoutSystem: 'system:default/checkout',
  checkoutService: 'component:default/checkout-service',
  checkoutApi: 'api:default/checkout-api',
  checkoutDb: 'resource:default/checkout-db',
  paymentService: 'component:default/payment-service',
  paymentApi: 'api:default/payment-api',
  paymentsDb: 'resource:default/payments-db',
  aliceScripts: 'component:default/alice-scripts',
} as const;

/** An OpenAPI definition, long enough that leaking it would be noticed. */
export const CHECKOUT_API_DEFINITION = [
  'openapi: 3.0.3',
  'info:',
  '  title: Checkout API',
  '  version: 1.0.0',
  'paths:',
  '  /orders:',
  '    post:',
  '      summary: Place an order',
].join('\n');

export function catalogEntities(): Entity[] {
  return [
    makeEntity({
      kind: 'Group',
      name: 'engineering',
      spec: {
        type: 'department',
        profile: { displayName: 'Engineering' },
        children: ['team-a', 'team-b'],
      },
      relations: [
        ['parentOf', REFS.teamA],
        ['parentOf', REFS.teamB],
      ],
    }),
    makeEntity({
      kind: 'Group',
      name: 'team-a',
      description: 'Builds checkout',
      annotations: {
        'slack.com/channel': '#team-a',
        'pagerduty.com/service-id': 'PTEAMA1',
        'backstage.io/managed-by-location':
          'url:https://git.example.com/org.yaml',
      },
      links: [{ url: 'https://wiki.example.com/team-a', title: 'Team wiki' }],
      spec: {
        type: 'team',
        profile: { displayName: 'Team A', email: 'team-a@example.com' },
        parent: 'engineering',
        children: [],
      },
      relations: [
        ['childOf', REFS.engineering],
        ['hasMember', REFS.alice],
        ['hasMember', REFS.bob],
        ['ownerOf', REFS.checkoutSystem],
        ['ownerOf', REFS.checkoutService],
        ['ownerOf', REFS.checkoutApi],
        ['ownerOf', REFS.checkoutDb],
      ],
    }),
    makeEntity({
      kind: 'Group',
      name: 'team-b',
      spec: {
        type: 'team',
        profile: { displayName: 'Team B' },
        parent: 'engineering',
        children: [],
      },
      relations: [
        ['childOf', REFS.engineering],
        ['hasMember', REFS.alice],
        ['ownerOf', REFS.paymentService],
        ['ownerOf', REFS.paymentApi],
      ],
    }),
    makeEntity({
      kind: 'User',
      name: 'alice',
      spec: {
        profile: { displayName: 'Alice Example', email: 'alice@example.com' },
        memberOf: ['team-a', 'team-b'],
      },
      relations: [
        ['memberOf', REFS.teamA],
        ['memberOf', REFS.teamB],
        ['ownerOf', REFS.aliceScripts],
      ],
    }),
    makeEntity({
      kind: 'User',
      name: 'bob',
      spec: {
        profile: { displayName: 'Bob Example', email: 'bob@example.com' },
        memberOf: ['team-a'],
      },
      relations: [['memberOf', REFS.teamA]],
    }),
    makeEntity({
      kind: 'System',
      name: 'checkout',
      title: 'Checkout',
      spec: { owner: 'team-a' },
      relations: [
        ['ownedBy', REFS.teamA],
        ['hasPart', REFS.checkoutService],
        ['hasPart', REFS.checkoutApi],
      ],
    }),
    makeEntity({
      kind: 'Component',
      name: 'checkout-service',
      title: 'Checkout Service',
      description: 'Takes orders from the storefront',
      tags: ['java', 'checkout'],
      annotations: {
        'backstage.io/managed-by-location':
          'url:https://git.example.com/checkout/catalog-info.yaml',
        'backstage.io/managed-by-origin-location':
          'url:https://git.example.com/checkout/catalog-info.yaml',
        'backstage.io/techdocs-ref': 'dir:.',
      },
      labels: { tier: 'critical' },
      links: [{ url: 'https://checkout.example.com', title: 'Storefront' }],
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'team-a',
        system: 'checkout',
        providesApis: ['checkout-api'],
        consumesApis: ['payment-api'],
        dependsOn: ['resource:checkout-db', 'component:payment-service'],
      },
      relations: [
        ['ownedBy', REFS.teamA],
        ['partOf', REFS.checkoutSystem],
        ['providesApi', REFS.checkoutApi],
        ['consumesApi', REFS.paymentApi],
        ['dependsOn', REFS.checkoutDb],
        ['dependsOn', REFS.paymentService],
      ],
    }),
    makeEntity({
      kind: 'API',
      name: 'checkout-api',
      description: 'Place and track orders',
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'team-a',
        system: 'checkout',
        definition: CHECKOUT_API_DEFINITION,
      },
      relations: [
        ['ownedBy', REFS.teamA],
        ['partOf', REFS.checkoutSystem],
        ['apiProvidedBy', REFS.checkoutService],
      ],
    }),
    makeEntity({
      kind: 'Resource',
      name: 'checkout-db',
      spec: { type: 'database', owner: 'team-a' },
      relations: [
        ['ownedBy', REFS.teamA],
        ['dependencyOf', REFS.checkoutService],
      ],
    }),
    makeEntity({
      kind: 'Component',
      name: 'payment-service',
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'team-b',
        providesApis: ['payment-api'],
        dependsOn: ['resource:payments-db'],
      },
      relations: [
        ['ownedBy', REFS.teamB],
        ['providesApi', REFS.paymentApi],
        ['dependencyOf', REFS.checkoutService],
        ['dependsOn', REFS.paymentsDb],
      ],
    }),
    makeEntity({
      kind: 'API',
      name: 'payment-api',
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'team-b',
        definition: 'openapi: 3.0.3',
      },
      relations: [
        ['ownedBy', REFS.teamB],
        ['apiProvidedBy', REFS.paymentService],
        ['apiConsumedBy', REFS.checkoutService],
      ],
    }),
    makeEntity({
      kind: 'Component',
      name: 'alice-scripts',
      spec: { type: 'library', lifecycle: 'experimental', owner: 'user:alice' },
      relations: [['ownedBy', REFS.alice]],
    }),
  ];
}
