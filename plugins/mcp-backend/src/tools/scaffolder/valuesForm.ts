import type { ElicitRequestFormParams } from '@modelcontextprotocol/server';

type JsonSchema = Record<string, any>;
type FormSchema = ElicitRequestFormParams['requestedSchema'];
type FormProperty = FormSchema['properties'][string];

const FORM_FORMATS = ['email', 'uri', 'date', 'date-time'];

function pick(source: JsonSchema, keys: string[]) {
  return Object.fromEntries(
    keys.filter(k => source[k] !== undefined).map(k => [k, source[k]]),
  );
}

/**
 * The form-mode elicitation property for a template field, or undefined when
 * the field is not a flat string, number, boolean or single choice: the
 * protocol's forms have nothing else.
 */
function formProperty(
  name: string,
  property: JsonSchema,
): FormProperty | undefined {
  const base = {
    title: typeof property.title === 'string' ? property.title : name,
    ...(typeof property.description === 'string'
      ? { description: property.description }
      : {}),
  };
  if (
    Array.isArray(property.enum) &&
    property.enum.every((v: unknown) => typeof v === 'string')
  ) {
    const names = property.enumNames ?? property['ui:enumNames'];
    return Array.isArray(names) && names.length === property.enum.length
      ? {
          type: 'string',
          ...base,
          oneOf: property.enum.map((value: string, i: number) => ({
            const: value,
            title: String(names[i]),
          })),
          ...pick(property, ['default']),
        }
      : {
          type: 'string',
          ...base,
          enum: property.enum,
          ...pick(property, ['default']),
        };
  }
  switch (property.type) {
    case 'string': {
      const picker =
        typeof property['ui:field'] === 'string'
          ? property['ui:field']
          : undefined;
      return {
        type: 'string',
        ...base,
        ...(picker && !base.description
          ? {
              description: `${picker}: an entity ref such as group:default/my-team`,
            }
          : {}),
        ...pick(property, ['minLength', 'maxLength', 'default']),
        ...(FORM_FORMATS.includes(property.format)
          ? { format: property.format }
          : {}),
      } as FormProperty;
    }
    case 'number':
    case 'integer':
      return {
        type: property.type,
        ...base,
        ...pick(property, ['minimum', 'maximum', 'default']),
      };
    case 'boolean':
      return { type: 'boolean', ...base, ...pick(property, ['default']) };
    default:
      return undefined;
  }
}

/**
 * A form asking the user for the given top-level fields of a template's
 * merged schema, or undefined when one of them cannot be asked in a form
 * (nested, list or object fields): then the agent must supply them.
 */
export function valuesFormFor(
  schema: JsonSchema,
  fields: string[],
): FormSchema | undefined {
  const properties: FormSchema['properties'] = {};
  for (const field of fields) {
    const property = schema.properties?.[field];
    const asked =
      field.includes('.') || !property
        ? undefined
        : formProperty(field, property);
    if (!asked) return undefined;
    properties[field] = asked;
  }
  return { type: 'object', properties, required: fields };
}
