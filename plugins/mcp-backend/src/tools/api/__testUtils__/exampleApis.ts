import { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The demo catalog of the repository, used as realistic test data. */
export const EXAMPLES_DIR = path.resolve(
  __dirname,
  '../../../../../../examples',
);

/** The definition of one example API, by entity name, e.g. "payment-api". */
export function readExampleDefinition(apiName: string): string {
  const api = readEntities('apis.yaml').find(e => e.metadata.name === apiName);
  if (!api) throw new Error(`No example API named ${apiName}`);
  return (api.spec as { definition: string }).definition;
}

function readEntities(file: string): Entity[] {
  return parseAllDocuments(
    fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'),
  ).map(doc => doc.toJS() as Entity);
}

const ref = (kind: string, name: string) =>
  name.includes(':') ? name : `${kind}:default/${name}`;

/**
 * The example APIs and components as the catalog would serve them, with the
 * relations the in-memory catalog mock does not compute (ownedBy, partOf,
 * apiProvidedBy / providesApi) added.
 */
export function exampleCatalog(): Entity[] {
  const components = readEntities('components.yaml').filter(
    e => e.kind === 'Component',
  );
  const apis = readEntities('apis.yaml').filter(e => e.kind === 'API');
  const ownership = (entity: Entity) => {
    const spec = entity.spec as Record<string, any>;
    return [
      { type: 'ownedBy', targetRef: ref('group', spec.owner) },
      ...(spec.system
        ? [{ type: 'partOf', targetRef: ref('system', spec.system) }]
        : []),
    ];
  };
  const providers = (api: string) =>
    components
      .filter(c =>
        ((c.spec as any).providesApis ?? [])
          .map((a: string) => ref('api', a))
          .includes(api),
      )
      .map(c => ({
        type: 'apiProvidedBy',
        targetRef: ref('component', c.metadata.name),
      }));

  return [
    ...components.map(component => ({
      ...component,
      relations: [
        ...ownership(component),
        ...((component.spec as any).providesApis ?? []).map((a: string) => ({
          type: 'providesApi',
          targetRef: ref('api', a),
        })),
      ],
    })),
    ...apis.map(api => ({
      ...api,
      relations: [
        ...ownership(api),
        ...providers(ref('api', api.metadata.name)),
      ],
    })),
  ];
}

/** An API entity with the given definition, for edge cases the examples lack. */
export function apiEntity(
  name: string,
  type: string,
  definition: NonNullable<Entity['spec']>[string],
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name, namespace: 'default' },
    spec: {
      type,
      lifecycle: 'experimental',
      owner: 'group:default/test-team',
      definition,
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/test-team' }],
  };
}
