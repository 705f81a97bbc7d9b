import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { TemplateParameterSchema } from '@backstage/plugin-scaffolder-common';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { loadEntity } from '../shared/entityRefs';

type JsonSchema = Record<string, any>;

/** Page-level keywords that constrain fields across a page, kept under allOf. */
const PAGE_CONSTRAINT_KEYS = [
  'dependencies',
  'allOf',
  'anyOf',
  'oneOf',
  'if',
  'then',
  'else',
  'not',
];

/** A template's parameter pages merged into one JSON Schema object. */
export interface MergedTemplateSchema {
  /** type object; every property carries its page title as `x-page`. */
  schema: JsonSchema;
  required: string[];
  pages: Array<{ title: string; description?: string; fields: string[] }>;
  /** Dot paths of fields the user must enter in the UI, never the model. */
  secretFields: string[];
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges the pages of a parameter schema. Properties keep every keyword
 * (enum, default, format, pattern, ui:*), so the form's hints survive;
 * page-level conditionals go under allOf, so they still apply when the
 * merged schema is validated.
 */
export function mergeParameterPages(
  steps: TemplateParameterSchema['steps'],
): MergedTemplateSchema {
  const properties: JsonSchema = {};
  const required = new Set<string>();
  const allOf: JsonSchema[] = [];
  const pages: MergedTemplateSchema['pages'] = [];

  for (const step of steps) {
    const page = (isObject(step.schema) ? step.schema : {}) as JsonSchema;
    const fields: string[] = [];
    for (const [name, property] of Object.entries(
      isObject(page.properties) ? page.properties : {},
    )) {
      properties[name] = isObject(property)
        ? { ...property, 'x-page': step.title }
        : property;
      fields.push(name);
    }
    if (Array.isArray(page.required)) {
      for (const name of page.required)
        if (typeof name === 'string') required.add(name);
    }
    const constraints = Object.fromEntries(
      PAGE_CONSTRAINT_KEYS.filter(key => page[key] !== undefined).map(key => [
        key,
        page[key],
      ]),
    );
    if (Object.keys(constraints).length) allOf.push(constraints);
    pages.push({
      title: step.title,
      ...(step.description ? { description: step.description } : {}),
      fields,
    });
  }

  const schema: JsonSchema = { type: 'object', properties };
  if (required.size) schema.required = [...required];
  if (allOf.length) schema.allOf = allOf;
  return {
    schema,
    required: [...required],
    pages,
    secretFields: findSecretFields(schema),
  };
}

/** A field whose value must come from the user, not the model. */
export function isSecretProperty(property: unknown): boolean {
  return (
    isObject(property) &&
    (property['ui:field'] === 'Secret' || property['ui:widget'] === 'password')
  );
}

/**
 * The subschemas a schema applies conditionally or in combination (allOf,
 * anyOf, oneOf, if/then/else, dependencies): where a template declares
 * fields that only some answers show.
 */
export function conditionalBranches(node: unknown): unknown[] {
  if (!isObject(node)) return [];
  const branches: unknown[] = [];
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(node[key])) branches.push(...node[key]);
  }
  for (const key of ['if', 'then', 'else']) {
    if (node[key] !== undefined) branches.push(node[key]);
  }
  if (isObject(node.dependencies))
    branches.push(...Object.values(node.dependencies));
  return branches;
}

/** Dot paths of secret fields, including those of nested objects and conditionals. */
export function findSecretFields(schema: JsonSchema, prefix = ''): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, path: string) => {
    if (!isObject(node)) return;
    if (isObject(node.properties)) {
      for (const [name, property] of Object.entries(node.properties)) {
        const fieldPath = path ? `${path}.${name}` : name;
        if (isSecretProperty(property)) found.add(fieldPath);
        visit(property, fieldPath);
      }
    }
    for (const branch of conditionalBranches(node)) visit(branch, path);
  };
  visit(schema, prefix);
  return [...found];
}

/** A template's entity, merged parameters and title, as the scaffolder serves them. */
export interface LoadedTemplate {
  entity: Entity;
  ref: string;
  parameterSchema: TemplateParameterSchema;
  merged: MergedTemplateSchema;
}

/**
 * Loads a template through the catalog (so that a bare name resolves and a
 * template the caller may not read is "not found") and its parameter schema
 * through the scaffolder, both with the caller's credentials.
 */
export async function loadTemplate(options: {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  credentials: BackstageCredentials;
  input: string;
}): Promise<LoadedTemplate> {
  const { catalog, scaffolder, credentials, input } = options;
  const entity = await loadEntity({
    catalog,
    credentials,
    input,
    defaultKind: 'template',
  });
  const ref = stringifyEntityRef(entity);
  if (entity.kind.toLocaleLowerCase('en-US') !== 'template') {
    throw new InputError(
      `${ref} is not a template. Find templates with scaffolder_list_templates`,
    );
  }
  const parameterSchema = await scaffolder.getTemplateParameterSchema(
    { templateRef: ref },
    { credentials },
  );
  return {
    entity,
    ref,
    parameterSchema,
    merged: mergeParameterPages(parameterSchema.steps),
  };
}
