import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod';
import { McpConfig } from '../../config';
import { readOnlyAnnotations } from '../annotations';
import { truncate } from '../shared/entityRefs';
import { compact } from '../shared/entitySummary';
import {
  cursorField,
  pageSizeField,
  queryField,
  responseFormatField,
} from '../shared/fields';
import {
  decodeOffsetCursor,
  offsetPageFields,
  pagedOutputSchema,
} from '../shared/pagination';
import { defineTool } from '../types';

const NAME = 'scaffolder_list_actions';
const DESCRIPTION_CHARS = 200;

/** `scaffolder_list_actions`: the actions template steps can use. */
export function createScaffolderListActionsTool(deps: {
  scaffolder: ScaffolderService;
  config: McpConfig;
}) {
  const { scaffolder, config } = deps;
  return defineTool({
    name: NAME,
    title: 'List scaffolder actions',
    toolset: 'scaffolder',
    description: [
      'The installed scaffolder actions that template steps run (fetch:template, publish:github…); detailed adds their input and output schemas.',
    ].join('\n'),
    inputSchema: z.strictObject({
      query: queryField('id, description', 'publish'),
      limit: pageSizeField(
        config.results.defaultPageSize,
        config.results.maxPageSize,
      ),
      cursor: cursorField,
      response_format: responseFormatField,
    }),
    outputSchema: pagedOutputSchema(
      z.object({
        id: z.string().describe('Action id, e.g. "fetch:template"'),
        description: z.string().optional(),
        input_schema: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('JSON Schema of the step input (detailed)'),
        output_schema: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('JSON Schema of the step output (detailed)'),
      }),
    ),
    downstreamPermissions: [],
    annotations: readOnlyAnnotations,
    async handle(input, { credentials }) {
      const offset = decodeOffsetCursor(input.cursor);
      const actions = await scaffolder.listActions({}, { credentials });
      const term = input.query?.trim().toLocaleLowerCase('en-US');
      const matching = term
        ? actions.filter(a =>
            `${a.id}\n${a.description ?? ''}`
              .toLocaleLowerCase('en-US')
              .includes(term),
          )
        : actions;
      const sorted = [...matching].sort((a, b) => a.id.localeCompare(b.id));
      const page = sorted.slice(offset, offset + input.limit);
      const detailed = input.response_format === 'detailed';
      const items = page.map(action =>
        compact({
          id: action.id,
          description:
            action.description && !detailed
              ? truncate(action.description, DESCRIPTION_CHARS)
              : action.description,
          input_schema: detailed
            ? (action.schema?.input as Record<string, unknown>)
            : undefined,
          output_schema: detailed
            ? (action.schema?.output as Record<string, unknown>)
            : undefined,
        }),
      );
      return {
        items,
        ...offsetPageFields(NAME, offset, items.length, sorted.length),
      };
    },
  });
}
