import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  CallToolResult,
  InputRequiredResult,
  isInputRequiredResult,
} from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { summarizeToolArguments } from './argumentSummary';
import { stripInvisibleDeep } from './textHygiene';
import { RedactionConfig, redactionRulesFor } from '../redaction/redactionConfig';
import { redactResult } from '../redaction/redactResult';
import { classifyToolError } from './errorBoundary';
import { auditedAgent, McpRequestContext } from './requestContext';
import { denialMessage, GovernanceDenialReason, OUTCOME_BY_REASON } from './denials';
import { CatalogedTool, ToolCatalog } from './toolCatalog';
import { McpClientInteraction } from '../tools/types';

function describeIssues(error: z.ZodError): string {
  const problems = error.issues.map(issue => {
    const where = issue.path.length ? issue.path.join('.') : '(arguments)';
    return `${where}: ${issue.message}`;
  });
  return `${problems.join('; ')}. Fix these arguments; the tool's inputSchema lists every field with its type`;
}

function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/**
 * Runs one tool call through the pipeline every call passes: permission gate,
 * input validation, the handler, the error boundary, and the audit event.
 */
export function createToolInvoker(deps: {
  catalog: ToolCatalog;
  logger: LoggerService;
  auditor: AuditorService;
  redaction: RedactionConfig;
}) {
  const { catalog, logger, auditor, redaction } = deps;

  return async function invokeTool(
    entry: CatalogedTool,
    rawArguments: unknown,
    context: McpRequestContext & {
      signal?: AbortSignal;
      interaction: McpClientInteraction;
    },
  ): Promise<CallToolResult | InputRequiredResult> {
    const started = performance.now();
    const { tool } = entry;
    const access = await context.getToolAccess();
    const denial = access.denialReason(entry);
    // Budgets are taken only by calls that would run, so refusals cost none.
    const limited = denial
      ? undefined
      : await context.governance.takeCallBudget(!tool.annotations.readOnlyHint);
    const decisionReason: GovernanceDenialReason | undefined =
      denial ?? (limited ? 'rate-limited' : undefined);

    const auditMeta: JsonObject = {
      agent: auditedAgent(context),
      tool: tool.name,
      toolset: tool.toolset,
      arguments: summarizeToolArguments(rawArguments ?? {}, tool.opaqueInputs),
      decision: decisionReason ? 'deny' : 'allow',
      policyResult: access.result,
      ...(decisionReason ? { decisionReason } : {}),
      ...(limited
        ? { rateLimit: { budget: limited.budget, limit: limited.limit, windowMs: limited.windowMs, retryAfterMs: limited.retryAfterMs } }
        : {}),
    };
    const auditEvent = await auditor.createEvent({
      eventId: 'tool-call',
      severityLevel: tool.annotations.readOnlyHint && !decisionReason ? 'low' : 'medium',
      request: context.httpRequest,
      meta: auditMeta,
    });
    const durationMs = () => Math.round((performance.now() - started) * 100) / 100;

    if (decisionReason) {
      const message = denialMessage(decisionReason, `use ${tool.name}`, context, limited);
      const refusal =
        decisionReason === 'rate-limited'
          ? Object.assign(new Error(message), { name: 'RateLimitedError' })
          : new NotAllowedError(message);
      await auditEvent.fail({
        error: refusal,
        meta: { outcome: OUTCOME_BY_REASON[decisionReason], durationMs: durationMs() },
      });
      return errorResult(decisionReason === 'rate-limited' ? message : `Not allowed: ${message}`);
    }

    try {
      const parsed = tool.inputSchema.safeParse(rawArguments ?? {});
      if (!parsed.success) throw new InputError(describeIssues(parsed.error));
      const output = await tool.handle(parsed.data, {
        credentials: context.downstreamCredentials,
        caller: context.credentials,
        listAllowedToolNames: () =>
          catalog.tools.filter(t => access.allows(t)).map(t => t.tool.name),
        signal: context.signal,
        interaction: context.interaction,
      });
      if (isInputRequiredResult(output)) {
        // The client asks the user and calls again: audited as its own step.
        await auditEvent.success({ meta: { outcome: 'input-required', durationMs: durationMs() } });
        return output;
      }
      // Text others wrote reaches the model without characters it cannot see.
      const { value: visible, removed } = stripInvisibleDeep(output);
      // Field restrictions hold whatever tool found the entity.
      const { value: clean, paths } = redactResult(
        visible,
        redactionRulesFor(redaction, context.credentials),
        tool.redactionAliases,
      );
      await auditEvent.success({
        meta: {
          outcome: 'ok',
          durationMs: durationMs(),
          ...(removed ? { invisibleCharactersRemoved: removed } : {}),
          ...(paths.length ? { fieldsRedacted: paths } : {}),
        },
      });
      return {
        content: [{ type: 'text', text: JSON.stringify(clean) }],
        structuredContent: clean as Record<string, unknown>,
      };
    } catch (error) {
      const failure = classifyToolError(error, {
        logger,
        toolName: tool.name,
        reference: randomUUID(),
      });
      await auditEvent.fail({
        error: Object.assign(new Error(failure.message), { name: failure.name }),
        meta: {
          outcome: failure.kind === 'caller-error' ? 'tool-error' : 'error',
          durationMs: durationMs(),
        },
      });
      return errorResult(failure.message);
    }
  };
}

/** The function that runs tool calls, see {@link createToolInvoker}. */
export type ToolInvoker = ReturnType<typeof createToolInvoker>;
