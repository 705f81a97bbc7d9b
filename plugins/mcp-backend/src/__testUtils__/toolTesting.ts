import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { z } from 'zod';
import { McpClientInteraction, McpTool } from '../tools/types';

/** A client that declared no elicitation, sampling or roots and asked for no progress. */
export const noClientInteraction: McpClientInteraction = {
  elicitation: { form: false, url: false },
  sampling: false,
  roots: false,
  reportProgress: async () => {},
};

/** What clients see of a tool: snapshot it so schema changes are deliberate. */
export function listedDefinition(tool: McpTool) {
  return {
    name: tool.name,
    title: tool.title,
    toolset: tool.toolset,
    description: tool.description,
    annotations: tool.annotations,
    downstreamPermissions: tool.downstreamPermissions.map(p => p.name),
    inputSchema: z.toJSONSchema(tool.inputSchema, { io: 'input' }),
    outputSchema: z.toJSONSchema(tool.outputSchema, { io: 'output' }),
  };
}

/** Asserts that agents get a description for every input field. */
export function expectEveryPropertyDescribed(schema: {
  properties: Record<string, any>;
}) {
  for (const [key, property] of Object.entries(schema.properties)) {
    expect({ key, description: property.description }).toEqual({
      key,
      description: expect.stringMatching(/\w{3}/),
    });
  }
}

/**
 * Runs a tool as the invoker does (input parsed by its schema) and checks
 * the result against the output schema it advertises to clients.
 */
export async function callTool(
  tool: McpTool,
  args: unknown,
  credentials: BackstageCredentials = mockCredentials.user(
    'user:default/alice',
  ),
): Promise<any> {
  const output = await tool.handle(tool.inputSchema.parse(args), {
    credentials,
    caller: credentials,
    listAllowedToolNames: () => [],
    interaction: noClientInteraction,
  });
  return tool.outputSchema.parse(output);
}

/** Asserts that the input schema refuses `args` with one issue at `path`. */
export function expectInputIssue(
  tool: McpTool,
  args: unknown,
  path: PropertyKey[],
) {
  const result = tool.inputSchema.safeParse(args);
  expect(result.success).toBe(false);
  expect(result.error!.issues).toEqual([expect.objectContaining({ path })]);
}

/** Asserts that a misspelt argument is named rather than silently dropped. */
export function expectUnknownKeyRejected(
  tool: McpTool,
  args: Record<string, unknown>,
  key: string,
) {
  const result = tool.inputSchema.safeParse(args);
  expect(result.success).toBe(false);
  expect(result.error!.issues).toEqual([
    expect.objectContaining({ code: 'unrecognized_keys', keys: [key] }),
  ]);
}
