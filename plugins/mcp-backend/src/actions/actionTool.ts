import {
  ActionsService,
  ActionsServiceAction,
} from '@backstage/backend-plugin-api/alpha';
import { isError, NotFoundError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { z } from 'zod';
import { ServedTool, prepareTool, ToolJsonSchema } from '../mcp/toolInventory';
import { cutText, stripInvisibleDeep } from '../mcp/textHygiene';
import { McpTool } from '../tools/types';

/** Some model APIs and gateways refuse longer tool descriptions. */
const MAX_DESCRIPTION = 1024;
/**
 * What a bridged description may take when it can be cut at a paragraph:
 * later paragraphs of action descriptions mostly restate the input schema,
 * which the listing carries anyway, and every session pays for them.
 */
const PARAGRAPHS_BUDGET = 300;

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A description that fits: its first paragraphs while they fit in 300
 * characters, or else the first paragraph alone, cut at a sentence when it
 * is longer than 1,024 characters. Marked when shortened; the action's whole text
 * stays with the plugin that owns it.
 */
export function fitDescription(text: string): string {
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map(p => p.trim())
    .filter(Boolean);
  let kept = '';
  for (const paragraph of paragraphs) {
    const next = kept ? `${kept}\n\n${paragraph}` : paragraph;
    if (next.length > PARAGRAPHS_BUDGET) break;
    kept = next;
  }
  const whole = paragraphs.join('\n\n');
  if (kept.length === whole.length) return kept;
  if (kept) return `${kept} …`;
  const first = paragraphs[0] ?? '';
  if (first.length <= MAX_DESCRIPTION - 2) return `${first} …`;
  const room = cutText(first, MAX_DESCRIPTION - 2);
  const sentence = room.lastIndexOf('. ') + 1;
  return `${(sentence > MAX_DESCRIPTION / 2
    ? room.slice(0, sentence)
    : room
  ).trimEnd()} …`;
}

/** The action's JSON Schema as `tools/list` shows it: an object schema, without `$schema`. */
function listedSchema(schema: unknown): ToolJsonSchema {
  const { $schema: _ignored, ...rest } = (
    isJsonObject(schema) ? schema : {}
  ) as Record<string, unknown>;
  return (
    rest.type === 'object' ? rest : { type: 'object', properties: {} }
  ) as ToolJsonSchema;
}

/**
 * A validator built from the action's input schema, so that a wrong
 * argument gets the same field-by-field message as a native tool's, before
 * any request is made. Schemas zod cannot read are left to the action,
 * which validates its input itself.
 */
function inputValidator(schema: ToolJsonSchema): z.ZodObject {
  try {
    return z.fromJSONSchema(
      schema as z.core.JSONSchema.JSONSchema,
    ) as unknown as z.ZodObject;
  } catch {
    return z.looseObject({});
  }
}

/** The registry answers "not found" for an action the caller may not see. */
function explainInvokeError(
  error: unknown,
  action: ActionsServiceAction,
  toolName: string,
): unknown {
  const cause =
    isError(error) && isError(error.cause) ? error.cause : undefined;
  if (
    cause?.name === 'NotFoundError' &&
    cause.message === `Action "${action.id}" not found`
  ) {
    return new NotFoundError(
      `${toolName} is not available to you: the ${action.pluginId} plugin's permission policy does not let you use its action "${action.id}", or the plugin no longer offers it`,
    );
  }
  return error;
}

/**
 * A tool for an action of Backstage's actions registry. It calls the action
 * through the actions service with the caller's credentials: one request to
 * the plugin that owns it, which checks the action's visibility permission
 * and validates the input again.
 */
export function createActionTool(options: {
  action: ActionsServiceAction;
  name: string;
  toolset: string;
  actions: ActionsService;
}): ServedTool {
  const { action, name, toolset, actions } = options;
  // Third-party text reaches every session's context: cleaned like results.
  const text = stripInvisibleDeep({
    title: action.title || name,
    description: fitDescription(action.description || action.title || name),
    input: listedSchema(action.schema?.input),
    output: listedSchema(action.schema?.output),
  }).value;
  const { readOnly, destructive, idempotent } = action.attributes;
  const tool: McpTool = {
    name,
    title: text.title,
    toolset,
    description: text.description,
    inputSchema: inputValidator(text.input),
    outputSchema: z.looseObject({}),
    annotations: {
      readOnlyHint: readOnly,
      destructiveHint: !readOnly && destructive,
      idempotentHint: idempotent,
      // What an action reaches is not declared; the protocol's default.
      openWorldHint: true,
    },
    downstreamPermissions: [],
    async handle(input, context) {
      try {
        const { output } = await actions.invoke({
          id: action.id,
          input: input as JsonObject,
          credentials: context.credentials,
        });
        return isJsonObject(output) ? output : { output };
      } catch (error) {
        throw explainInvokeError(error, action, name);
      }
    },
  };
  return prepareTool(tool, {
    inputSchema: text.input,
    outputSchema: text.output,
    undeclaredDownstream: true,
  });
}
