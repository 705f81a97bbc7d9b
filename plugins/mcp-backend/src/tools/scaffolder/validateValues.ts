import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { z } from 'zod';
import { conditionalBranches, MergedTemplateSchema } from './templateSchema';

type JsonSchema = Record<string, any>;

export const valueProblemSchema = z.object({
  field: z
    .string()
    .describe('Dot path of the field, e.g. "owner" or "repo.branch"'),
  message: z.string(),
  expected: z
    .union([z.string(), z.array(z.unknown())])
    .optional()
    .describe('The expected type, or the allowed values'),
});

/** The result of checking values against a template's merged schema. */
export const validationResultSchema = z.object({
  valid: z.boolean(),
  problems: z.array(valueProblemSchema),
  missing_required: z.array(z.string()),
  unknown_fields: z.array(z.string()),
  secret_fields_present: z
    .array(z.string())
    .describe('Their values were discarded, never echoed'),
});

export type ValidationResult = z.infer<typeof validationResultSchema>;

function toDotPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function join(path: string, name: string) {
  return path ? `${path}.${name}` : name;
}

/** Every property name the schema knows at the top level, conditionals included. */
function knownFields(schema: unknown, into = new Set<string>()): Set<string> {
  if (typeof schema !== 'object' || schema === null) return into;
  const node = schema as JsonSchema;
  if (node.properties && typeof node.properties === 'object') {
    Object.keys(node.properties).forEach(name => into.add(name));
  }
  for (const branch of conditionalBranches(node)) knownFields(branch, into);
  return into;
}

function deleteAt(values: Record<string, unknown>, path: string): boolean {
  const parts = path.split('.');
  let node: any = values;
  for (const part of parts.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    node = node[part];
  }
  const last = parts[parts.length - 1];
  if (typeof node !== 'object' || node === null || !(last in node))
    return false;
  delete node[last];
  return true;
}

function describeError(error: ErrorObject) {
  const field = toDotPath(error.instancePath);
  const params = error.params as Record<string, any>;
  switch (error.keyword) {
    case 'enum':
      return {
        field,
        message: 'must be one of the allowed values',
        expected: params.allowedValues,
      };
    case 'type':
      return {
        field,
        message: `must be of type ${params.type}`,
        expected: String(params.type),
      };
    case 'const':
      return {
        field,
        message: 'must be the constant value',
        expected: [params.allowedValue],
      };
    default:
      // ajv's messages name the rule (pattern, length, bounds), never the value.
      return { field, message: error.message ?? `fails ${error.keyword}` };
  }
}

/**
 * Checks template values against the merged parameter schema, as the form
 * would before submitting. Secret fields are reported and discarded first:
 * their values must not pass through a model, and none of them is ever
 * echoed. Required secrets are not reported missing, because the user
 * supplies them in Backstage.
 */
export function validateTemplateValues(
  merged: MergedTemplateSchema,
  values: Record<string, unknown>,
): ValidationResult {
  const copy = structuredClone(values);
  const secret_fields_present = merged.secretFields.filter(path =>
    deleteAt(copy, path),
  );
  const secrets = new Set(merged.secretFields);

  // strict: false makes ajv ignore the form's ui:* and x-page keywords.
  const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
  const validate = ajv.compile(merged.schema);
  validate(copy);

  const problems: ValidationResult['problems'] = [];
  const missing = new Set<string>();
  const alternatives: ErrorObject[] = [];
  for (const error of validate.errors ?? []) {
    if (error.keyword === 'required') {
      const field = join(
        toDotPath(error.instancePath),
        (error.params as any).missingProperty,
      );
      if (!secrets.has(field)) missing.add(field);
      continue;
    }
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') {
      alternatives.push(error);
      continue;
    }
    // Inside a failed alternative only missing fields help (e.g. a field that
    // a dependency requires); the mismatches of the other branches are noise.
    if (
      /\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath) ||
      error.keyword === 'if'
    )
      continue;
    problems.push(describeError(error));
  }
  if (missing.size === 0) {
    for (const error of alternatives) {
      problems.push({
        field: toDotPath(error.instancePath),
        message:
          'The values match none of the allowed combinations (fields that depend on each other); see the allOf of the template parameters',
      });
    }
  }

  for (const field of secret_fields_present) {
    problems.push({
      field,
      message:
        'This is a secret field: never send secrets through the model. Its value was discarded; the user enters it in Backstage when the template runs',
    });
  }

  const known = knownFields(merged.schema);
  const unknown_fields = Object.keys(values).filter(name => !known.has(name));
  for (const field of unknown_fields) {
    problems.push({
      field,
      message: `The template has no such parameter. Known parameters: ${[
        ...known,
      ].join(', ')}`,
    });
  }
  for (const field of missing) {
    problems.push({ field, message: 'is required' });
  }

  return {
    valid: problems.length === 0,
    problems,
    missing_required: [...missing],
    unknown_fields,
    secret_fields_present,
  };
}
