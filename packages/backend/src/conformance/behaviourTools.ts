import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { fixtureTool, renderText, textOutput } from './fixtureTool';

const noInput = z.object({});
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** The JSON Schema 2020-12 keywords the suite expects a listing to keep (SEP-1613, SEP-2106). */
const STATED_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: {
    properties: { contactMethod: { const: 'phone' } },
    required: ['contactMethod'],
  },
  then: { required: ['phone'] },
  else: { required: ['email'] },
};

/** Tools for progress, errors, logging and schemas (conformance: tools-call-with-progress, tools-call-error, server-stateless, json-schema-2020-12). */
export function createBehaviourTools() {
  return [
    fixtureTool({
      name: 'test_tool_with_progress',
      description:
        'Reports progress 0, 50 and 100 of 100, 50 ms apart (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle(_input, { interaction }) {
        for (const progress of [0, 50, 100]) {
          if (progress) await sleep(50);
          await interaction.reportProgress({ progress, total: 100 });
        }
        return { text: 'Progress reported: 0, 50 and 100 of 100.' };
      },
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'test_error_handling',
      description: 'Always fails, as an error result (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      async handle() {
        throw new InputError(
          'This tool intentionally returns an error for testing',
        );
      },
    }),
    fixtureTool({
      // This server sends no log notifications to clients at all.
      name: 'test_logging_tool',
      description:
        'Does its work without sending log notifications (conformance fixture).',
      inputSchema: noInput,
      outputSchema: textOutput,
      handle: async () => ({ text: 'Done; nothing was logged to the client.' }),
      renderContent: renderText,
    }),
    fixtureTool({
      name: 'json_schema_2020_12_tool',
      description:
        'Lists an input schema with JSON Schema 2020-12 keywords; echoes its input (conformance fixture).',
      inputSchema: z
        .strictObject({
          name: z.string().optional(),
          address: z
            .object({
              street: z.string().optional(),
              city: z.string().optional(),
            })
            .optional(),
          contactMethod: z.enum(['phone', 'email']).optional(),
          phone: z.string().optional(),
          email: z.string().optional(),
        })
        .meta(STATED_SCHEMA),
      outputSchema: z.object({ received: z.record(z.string(), z.unknown()) }),
      handle: async input => ({ received: input }),
    }),
  ];
}
