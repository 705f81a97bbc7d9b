import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { TemplateParameterSchema } from '@backstage/plugin-scaffolder-common';
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parse } from 'yaml';

/**
 * Template entities for the scaffolder tool tests: the two demo templates as
 * shipped in examples/templates, plus a synthetic one that exercises the
 * pickers and conditionals the demo does not use.
 */

// Test-only: the demo templates are read from the repository, never from a build.
// eslint-disable-next-line no-restricted-syntax
const EXAMPLES = resolve(__dirname, '../../../../../../examples/templates');

function withOwnerRelation(entity: Entity): Entity {
  const owner = (entity.spec as any)?.owner as string;
  return {
    ...entity,
    metadata: { namespace: 'default', ...entity.metadata },
    relations: owner ? [{ type: 'ownedBy', targetRef: owner }] : [],
  };
}

function loadExample(name: string): Entity {
  const text = readFileSync(resolve(EXAMPLES, name, 'template.yaml'), 'utf8');
  return withOwnerRelation(parse(text));
}

export const repoTemplate: Entity = withOwnerRelation({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'repo-service',
    title: 'Service in a repository',
    description: 'Publishes a service to a git host',
    tags: ['git'],
  },
  spec: {
    owner: 'group:default/team-a',
    type: 'service',
    parameters: [
      {
        title: 'Where',
        required: ['repoUrl'],
        properties: {
          repoUrl: {
            type: 'string',
            'ui:field': 'RepoUrlPicker',
            'ui:options': { allowedHosts: ['github.com'] },
          },
          consumers: {
            type: 'array',
            items: { type: 'string' },
            'ui:field': 'MultiEntityPicker',
            'ui:options': { allowedKinds: ['Component', 'API'] },
          },
          maintainer: {
            type: 'string',
            'ui:field': 'OwnerPicker',
          },
          reviewer: {
            type: 'string',
            'ui:field': 'EntityPicker',
            'ui:options': {
              catalogFilter: [{ kind: 'User', 'metadata.namespace': 'default' }, { kind: 'Group', 'spec.type': 'team' }],
            },
          },
          flavour: { type: 'string', 'ui:field': 'FlavourPicker' },
        },
      },
      {
        title: 'Access',
        description: 'Credentials for publishing',
        properties: {
          publish: { type: 'boolean', default: false },
          deploy: {
            type: 'object',
            properties: {
              password: { type: 'string', 'ui:widget': 'password' },
              region: { type: 'string', format: 'hostname' },
            },
          },
        },
        dependencies: {
          publish: {
            oneOf: [
              { properties: { publish: { const: false } } },
              {
                properties: { publish: { const: true }, branch: { type: 'string', minLength: 1 } },
                required: ['branch'],
              },
            ],
          },
        },
      },
    ],
    steps: [
      { id: 'fetch', name: 'Fetch', action: 'fetch:template', input: { url: './skeleton' } },
      { id: 'publish', action: 'publish:github', input: {} },
      { name: 'no action' },
    ],
    output: {},
  },
});

export const nodejsTemplate = loadExample('nodejs-service');
export const docsTemplate = loadExample('docs-site');

export const TEMPLATE_REFS = {
  nodejs: stringifyEntityRef(nodejsTemplate),
  docs: stringifyEntityRef(docsTemplate),
  repo: stringifyEntityRef(repoTemplate),
};

/** The parameter schema as the scaffolder serves it for a template entity. */
export function parameterSchemaOf(entity: Entity): TemplateParameterSchema {
  const parameters = ((entity.spec as any).parameters ?? []) as any[];
  return {
    title: entity.metadata.title ?? entity.metadata.name,
    description: entity.metadata.description,
    steps: parameters.map(({ title, description, ...schema }) => ({
      title,
      ...(description ? { description } : {}),
      schema,
    })),
  };
}

const ALL = [nodejsTemplate, docsTemplate, repoTemplate];

/** getTemplateParameterSchema, answering for the fixture templates only. */
export async function fakeGetTemplateParameterSchema({ templateRef }: { templateRef: string }) {
  const entity = ALL.find(e => stringifyEntityRef(e) === templateRef);
  if (!entity) throw Object.assign(new Error(`Template ${templateRef} not found`), { name: 'NotFoundError' });
  return parameterSchemaOf(entity);
}
