import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { loadEntity } from '../shared/entityRefs';
import { summarizeEntity } from '../shared/entitySummary';
import { entityRefField, truncationHintField } from '../shared/fields';
import { maxWindowChars } from '../shared/textWindow';
import { defineTool } from '../types';
import { continuationHint, sliceDefinition } from './budget';
import { prepareDefinition, selectHint, SPEC_FORMATS } from './specView';

const NAME = 'api_get_spec';

const selectorList = (description: string) =>
  z
    .array(z.string().min(1).max(500))
    .min(1)
    .max(50)
    .optional()
    .describe(description);

/** `api_get_spec`: an API's definition, whole or selected, in budgeted pieces. */
export function createApiGetSpecTool(deps: {
  catalog: CatalogService;
  config: McpConfig;
}) {
  const { catalog, config } = deps;
  const maxChars = maxWindowChars(config.results);
  return defineTool({
    name: NAME,
    title: 'Read an API definition',
    toolset: 'api',
    description: [
      "An API's definition with an outline of its operations, channels, types or services. For a large OpenAPI or AsyncAPI one, select paths, operations or channels from the outline: you get those with the components they use. If truncated, call again with offset=next_offset.",
      'Example: {"ref": "payment-api", "operations": ["GET /payments/{id}"]}',
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      paths: selectorList('OpenAPI paths, with those under them'),
      operations: selectorList(
        'OpenAPI operations: "GET /path" or operationId',
      ),
      channels: selectorList('AsyncAPI channels, with those under them'),
      max_chars: z
        .number()
        .int()
        .min(100)
        .max(maxChars)
        .default(config.results.defaultSpecChars)
        .describe('Most characters per piece'),
      offset: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('next_offset of the last piece'),
      format: z
        .enum(SPEC_FORMATS)
        .default('original')
        .describe(
          'original: as stored (YAML if selected); yaml, json: converted',
        ),
    }),
    outputSchema: z.object({
      ref: z.string(),
      type: z.string(),
      lifecycle: z.string().optional(),
      owner: z.string().optional(),
      format: z.enum(SPEC_FORMATS),
      selection: z
        .object({
          paths: z.array(z.string()).optional().describe('Paths kept whole'),
          operations: z
            .array(z.string())
            .optional()
            .describe('Operations kept, as "METHOD /path"'),
          channels: z.array(z.string()).optional().describe('Channels kept'),
          unmatched: z
            .array(z.string())
            .optional()
            .describe('Selectors that matched nothing'),
        })
        .optional()
        .describe('What paths, operations or channels kept'),
      definition: z.string().describe('From offset, at most max_chars'),
      total_chars: z.number().describe('Of the whole (selected) definition'),
      offset: z.number(),
      next_offset: z.number().optional().describe('Pass as offset to read on'),
      truncated: z.boolean(),
      outline: z.array(z.string()).optional().describe('To select from'),
      truncation_hint: truncationHintField,
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const entity = await loadEntity({
        catalog,
        credentials,
        input: input.ref,
        defaultKind: 'api',
      });
      const ref = stringifyEntityRef(entity);
      if (entity.kind.toLocaleLowerCase('en-US') !== 'api') {
        throw new InputError(
          `${ref} is a ${entity.kind}, not an API; api_get_spec reads API entities. ` +
            `Call catalog_get_entity {"ref": "${ref}"} and use the refs in its providesApi and consumesApi relations`,
        );
      }
      const summary = summarizeEntity(entity);
      const type = summary.type ?? 'unknown';
      const definition = (entity.spec as Record<string, unknown> | undefined)
        ?.definition;
      if (typeof definition !== 'string') {
        throw new NotFoundError(
          `The API ${ref} has no definition text in the catalog (spec.definition is missing or not text). ` +
            `Its metadata is available from catalog_get_entity {"ref": "${ref}"}`,
        );
      }

      const prepared = prepareDefinition({
        ref,
        type,
        definition,
        selection: input,
        format: input.format,
      });
      const window = sliceDefinition(
        prepared.text,
        input.offset,
        input.max_chars,
      );
      return {
        ref,
        type,
        lifecycle: summary.lifecycle,
        owner: summary.owner,
        format: prepared.format,
        selection: prepared.selection,
        ...window,
        outline: prepared.outline,
        truncation_hint: continuationHint(window, {
          toolName: NAME,
          maxChars: input.max_chars,
          maxAllowed: maxChars,
          selectHint: prepared.selection ? undefined : selectHint(type),
        }),
      };
    },
  });
}
