import { InputError } from '@backstage/errors';
import {
  CallToolResult,
  InputRequiredResult,
  isInputRequiredResult,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { McpClientInteraction } from '../tools/types';
import { summarizeToolArguments } from './argumentSummary';
import { GovernedRunner } from './governedRunner';
import { McpRequestContext } from './requestContext';
import { fitResult } from './resultBudget';
import { ServedTool, ToolInventory } from './toolInventory';

function describeIssues(error: z.ZodError): string {
  const problems = error.issues.map(issue => {
    const where = issue.path.length ? issue.path.join('.') : '(arguments)';
    return `${where}: ${issue.message}`;
  });
  return `${problems.join(
    '; ',
  )}. Fix these arguments; the tool's inputSchema lists every field with its type`;
}

const hasTruncationHint = (entry: ServedTool) =>
  Boolean(
    (
      entry.listed.outputSchema.properties as
        | Record<string, unknown>
        | undefined
    )?.truncation_hint,
  );

/**
 * A tool's output as its result: the output is the structured content, and
 * the content is what the tool renders of it, or else its JSON text copy.
 */
function renderToolResult(
  entry: ServedTool,
  output: ToolResultValue,
  maxResultChars: number,
): CallToolResult {
  const { tool } = entry;
  const fitted = fitResult(output as Record<string, unknown>, maxResultChars);
  if (!fitted) {
    throw new InputError(
      `The result of ${tool.name} is larger than the result size budget (${maxResultChars} characters) even when cut. Ask for less: fewer fields, a section, a smaller limit or max_chars.`,
    );
  }
  const hinted = Boolean(fitted.notice && hasTruncationHint(entry));
  const structuredContent = hinted
    ? { ...fitted.value, truncation_hint: fitted.notice }
    : fitted.value;
  return {
    content: [
      ...(tool.renderContent
        ? tool.renderContent(structuredContent)
        : [
            {
              type: 'text' as const,
              text: fitted.json ?? JSON.stringify(structuredContent),
            },
          ]),
      // Tools without a hint field still tell the agent what was cut.
      ...(fitted.notice && !hinted
        ? [{ type: 'text' as const, text: fitted.notice }]
        : []),
    ],
    structuredContent,
  };
}

/** What a tool call produces on its way through the governed runner. */
type ToolResultValue =
  | Record<string, unknown>
  | InputRequiredResult
  | CallToolResult;

/**
 * Runs one tool call through the governed runner and renders its outcome
 * as a tool result: failures become `isError` results the agent can act on.
 */
export function createToolInvoker(deps: {
  tools: ToolInventory;
  runGoverned: GovernedRunner;
  /** mcp.results.maxResultChars: the most characters of JSON one result may have. */
  maxResultChars: number;
}) {
  const { tools, runGoverned, maxResultChars } = deps;

  return async function invokeTool(
    entry: ServedTool,
    rawArguments: unknown,
    context: McpRequestContext & {
      signal?: AbortSignal;
      interaction: McpClientInteraction;
    },
  ): Promise<CallToolResult | InputRequiredResult> {
    const { tool } = entry;
    const outcome = await runGoverned<Record<string, unknown>, ToolResultValue>(
      {
        eventId: 'tool-call',
        operation: { method: 'tools/call', toolName: tool.name },
        action: `use ${tool.name}`,
        subject: `tool ${tool.name}`,
        meta: {
          tool: tool.name,
          toolset: tool.toolset,
          arguments: summarizeToolArguments(
            rawArguments ?? {},
            tool.opaqueInputs,
          ),
        },
        gate: access => access.denialReason(entry),
        writes: !tool.annotations.readOnlyHint,
        validate: () => {
          const parsed = tool.inputSchema.safeParse(rawArguments ?? {});
          if (!parsed.success)
            throw new InputError(describeIssues(parsed.error));
          return parsed.data;
        },
        waitsMs: input => tool.waitsMs?.(input) ?? 0,
        run: async (input, signal) => {
          const access = await context.getToolAccess();
          return tool.handle(input, {
            credentials: context.credentials,
            caller: context.caller,
            listAllowedToolNames: () =>
              tools.tools.filter(t => access.allows(t)).map(t => t.tool.name),
            signal,
            interaction: context.interaction,
            client: context.client,
          });
        },
        redactionAliases: tool.redactionAliases,
        render: output =>
          isInputRequiredResult(output)
            ? output
            : renderToolResult(entry, output, maxResultChars),
        // The client asks the user and calls again: audited as its own step.
        outcomeOf: output =>
          isInputRequiredResult(output) ? 'input-required' : 'ok',
      },
      context,
    );
    if (!outcome.ok) {
      return {
        isError: true,
        content: [{ type: 'text', text: outcome.message }],
      };
    }
    return outcome.value as CallToolResult | InputRequiredResult;
  };
}

/** The function that runs tool calls, see {@link createToolInvoker}. */
export type ToolInvoker = ReturnType<typeof createToolInvoker>;
