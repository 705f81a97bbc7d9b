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
import { defineTool } from '../types';
import { continuationHint, sliceDefinition } from './budget';
import { prepareDefinition, selectHint, SPEC_FORMATS } from './specView';

const NAME = 'api_get_spec';

/** The most characters one call may return, whatever the agent asks for. */
export const MAX_SPEC_CHARS = 200_000;

const selectorList = (description: string) =>
  z.array(z.string().min(1).max(500)).min(1).max(50).optional().describe(description);

/** `api_get_spec`: an API's definition, whole or selected, in budgeted pieces. */
export function createApiGetSpecTool(deps: { catalog: CatalogService; config: McpConfig }) {
  const { catalog, config } = deps;
  const maxChars = Math.max(MAX_SPEC_CHARS, config.results.defaultSpecChars);
  return defineTool({
    name: NAME,
    title: 'Read an API definition',
    toolset: 'api',
    description: [
      "Read the definition (spec) of an API entity from the software catalog: OpenAPI, AsyncAPI, GraphQL schema, gRPC proto or any other text. Use it to learn an API's endpoints, messages and schemas before calling or changing it.",
      'Without a selection you get the text from offset, at most max_chars characters, plus for OpenAPI and AsyncAPI an outline ("GET /orders/{id} — Get an order", "orders.v1 — subscribe: OrderPlaced") and for GraphQL and gRPC a list of declared types and services.',
      'For a large OpenAPI or AsyncAPI definition, select what you need with paths, operations or channels picked from the outline: you get YAML with only those parts plus exactly the components they reference.',
      'When truncated is true, call again with offset=next_offset and otherwise the same arguments; the pieces join to the exact text.',
      'Examples: {"ref": "payment-api"}, {"ref": "api:default/payment-api", "paths": ["/refunds"]}, {"ref": "payment-api", "operations": ["GET /payment-intents/{paymentIntentId}"]}, {"ref": "order-events", "channels": ["commerce.orders"]}.',
      "Find API refs with api_list_specs, or a component's APIs with catalog_get_entity (its providesApi and consumesApi relations).",
    ].join('\n'),
    inputSchema: z.strictObject({
      ref: entityRefField,
      paths: selectorList(
        'OpenAPI only: keep only these paths, each matched exactly or as a prefix, e.g. ["/payments"] keeps "/payments" and "/payments/{id}"',
      ),
      operations: selectorList(
        'OpenAPI only: keep only these operations, as "METHOD /path" or operationId, e.g. ["GET /payments/{id}", "createPayment"]',
      ),
      channels: selectorList(
        'AsyncAPI only: keep only these channels, each matched by name exactly or as a prefix, e.g. ["commerce.orders"]',
      ),
      max_chars: z
        .number()
        .int()
        .min(100)
        .max(maxChars)
        .default(config.results.defaultSpecChars)
        .describe(
          `Most characters of definition text to return, 100 to ${maxChars} (default ${config.results.defaultSpecChars})`,
        ),
      offset: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe(
          'Character offset into the (selected) definition text to start at: 0 (default) for the beginning, or the next_offset of the previous result to continue',
        ),
      format: z
        .enum(SPEC_FORMATS)
        .default('original')
        .describe(
          'original (default): the text as stored, or YAML for a selection; yaml or json: an OpenAPI or AsyncAPI definition converted to that format',
        ),
    }),
    outputSchema: z.object({
      ref: z.string().describe('Full ref of the API entity'),
      type: z.string().describe('spec.type, e.g. openapi, asyncapi, graphql, grpc'),
      lifecycle: z.string().optional(),
      owner: z.string().optional().describe('Owner entity ref'),
      format: z
        .enum(SPEC_FORMATS)
        .describe('Format of definition: original (as stored), yaml or json'),
      selection: z
        .object({
          paths: z.array(z.string()).optional().describe('Paths kept whole'),
          operations: z.array(z.string()).optional().describe('Operations kept, as "METHOD /path"'),
          channels: z.array(z.string()).optional().describe('Channels kept'),
          unmatched: z.array(z.string()).optional().describe('Selectors that matched nothing'),
        })
        .optional()
        .describe('What the definition was cut down to, when paths, operations or channels were given'),
      definition: z.string().describe('The definition text from offset, at most max_chars characters'),
      total_chars: z.number().describe('Length of the whole (selected) definition text'),
      offset: z.number().describe('Where this piece starts in the whole text'),
      next_offset: z.number().optional().describe('Pass as offset to read on; present when truncated'),
      truncated: z.boolean().describe('True when more text follows this piece'),
      outline: z
        .array(z.string())
        .optional()
        .describe('Operations, channels, types or services the definition declares, to choose a selection from'),
      truncation_hint: truncationHintField,
    }),
    downstreamPermissions: [catalogEntityReadPermission],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const entity = await loadEntity({ catalog, credentials, input: input.ref, defaultKind: 'api' });
      const ref = stringifyEntityRef(entity);
      if (entity.kind.toLocaleLowerCase('en-US') !== 'api') {
        throw new InputError(
          `${ref} is a ${entity.kind}, not an API; api_get_spec reads API entities. ` +
            `Call catalog_get_entity {"ref": "${ref}"} and use the refs in its providesApi and consumesApi relations`,
        );
      }
      const summary = summarizeEntity(entity);
      const type = summary.type ?? 'unknown';
      const definition = (entity.spec as Record<string, unknown> | undefined)?.definition;
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
      const window = sliceDefinition(prepared.text, input.offset, input.max_chars);
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
