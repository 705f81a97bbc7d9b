import { z } from 'zod';

type JsonSchema = Record<string, any>;

/** How an agent finds valid values for a field the form fills with a picker. */
export const pickerHintSchema = z.object({
  field: z.string().describe('Parameter name'),
  ui_field: z.string().describe('The form field, e.g. OwnerPicker'),
  hint: z.string().describe('Where valid values come from and their format'),
  catalog_search: z
    .array(z.record(z.string(), z.unknown()))
    .optional()
    .describe(
      'Arguments for catalog_search calls whose results are valid values (any of them)',
    ),
});

export type PickerHint = z.infer<typeof pickerHintSchema>;

const FILTER_FIELD_TO_ARGUMENT: Record<string, string> = {
  kind: 'kind',
  'spec.type': 'type',
  'spec.lifecycle': 'lifecycle',
  'metadata.namespace': 'namespace',
  'metadata.tags': 'tags',
};

function isStringOrList(value: unknown): value is string | string[] {
  return (
    typeof value === 'string' ||
    (Array.isArray(value) &&
      value.length > 0 &&
      value.every(v => typeof v === 'string'))
  );
}

/**
 * Turns a picker's catalogFilter into catalog_search arguments. Values that
 * are not strings (e.g. `{ exists: true }`) have no catalog_search form and are
 * left out, so the hint may match more than the picker would.
 */
function catalogFilterToSearches(
  catalogFilter: unknown,
): Record<string, unknown>[] | undefined {
  const filters = Array.isArray(catalogFilter)
    ? catalogFilter
    : [catalogFilter];
  const searches = filters
    .filter((f): f is JsonSchema => typeof f === 'object' && f !== null)
    .map(filter => {
      const args: Record<string, unknown> = {};
      const extra: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(filter)) {
        if (!isStringOrList(value)) continue;
        const argument = FILTER_FIELD_TO_ARGUMENT[key];
        if (argument) args[argument] = value;
        else extra[key] = value;
      }
      if (Object.keys(extra).length) args.filter = extra;
      return args;
    })
    .filter(args => Object.keys(args).length > 0);
  return searches.length ? searches : undefined;
}

function catalogSearches(options: JsonSchema, defaultKinds?: string[]) {
  const fromFilter = catalogFilterToSearches(options.catalogFilter);
  if (fromFilter) return fromFilter;
  const allowedKinds = isStringOrList(options.allowedKinds)
    ? options.allowedKinds
    : defaultKinds;
  return allowedKinds ? [{ kind: allowedKinds }] : undefined;
}

function describeSearches(searches: Record<string, unknown>[] | undefined) {
  if (!searches) return 'catalog_search';
  return searches.map(s => `catalog_search ${JSON.stringify(s)}`).join(' or ');
}

function hintFor(field: string, property: JsonSchema): PickerHint | undefined {
  const uiField = property['ui:field'];
  if (typeof uiField !== 'string') return undefined;
  const options: JsonSchema =
    typeof property['ui:options'] === 'object' &&
    property['ui:options'] !== null
      ? property['ui:options']
      : {};

  switch (uiField) {
    case 'OwnerPicker':
    case 'EntityPicker':
    case 'MultiEntityPicker': {
      const searches = catalogSearches(
        options,
        uiField === 'OwnerPicker' ? ['Group', 'User'] : undefined,
      );
      const many = uiField === 'MultiEntityPicker';
      return {
        field,
        ui_field: uiField,
        hint: `${many ? 'A list of entity refs' : 'An entity ref'}, e.g. "${
          uiField === 'OwnerPicker'
            ? 'group:default/team-a'
            : 'system:default/payments'
        }", taken from the ref of ${describeSearches(searches)} results${
          options.allowArbitraryValues === false
            ? '; other values are refused'
            : ''
        }`,
        ...(searches ? { catalog_search: searches } : {}),
      };
    }
    case 'RepoUrlPicker': {
      const hosts = Array.isArray(options.allowedHosts)
        ? options.allowedHosts
        : undefined;
      const owners = Array.isArray(options.allowedOwners)
        ? options.allowedOwners
        : undefined;
      return {
        field,
        ui_field: uiField,
        hint: `A repository location "host?owner=o&repo=r", e.g. "github.com?owner=acme&repo=new-service"${
          hosts ? `; host must be one of ${hosts.join(', ')}` : ''
        }${owners ? `; owner must be one of ${owners.join(', ')}` : ''}`,
      };
    }
    case 'Secret':
      return undefined;
    default:
      return {
        field,
        ui_field: uiField,
        hint: `A custom form field; follow the field's description and ask the user when unsure`,
      };
  }
}

/** Hints for every top-level field filled by a picker or other custom field. */
export function pickerHints(schema: JsonSchema): PickerHint[] {
  const properties: JsonSchema = schema.properties ?? {};
  return Object.entries(properties)
    .map(([field, property]) =>
      typeof property === 'object' && property !== null
        ? hintFor(field, property)
        : undefined,
    )
    .filter((hint): hint is PickerHint => hint !== undefined);
}
