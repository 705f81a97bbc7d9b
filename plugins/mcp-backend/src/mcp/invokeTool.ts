import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
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
import { decideGovernance, decisionAuditMeta, refusalOf } from './denials';
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
    const decision = await decideGovernance(
      context,
      access.denialReason(entry),
      !tool.annotations.readOnlyHint,
    );

    const auditEvent = await auditor.createEvent({
      eventId: 'tool-call',
      severityLevel: tool.annotations.readOnlyHint && !decision.reason ? 'low' : 'medium',
      request: context.httpRequest,
      meta: {
        agent: auditedAgent(context),
        tool: tool.name,
        toolset: tool.toolset,
        arguments: summarizeToolArguments(rawArguments ?? {}, tool.opaqueInputs),
        policyResult: access.result,
        ...decisionAuditMeta(decision),
      },
    });
    const durationMs = () => Math.round((performance.now() - started) * 100) / 100;

    if (decision.reason) {
      const refusal = refusalOf({ ...decision, reason: decision.reason }, `use ${tool.name}`, context);
      await auditEvent.fail({
        error: refusal.error,
        meta: { outcome: refusal.outcome, durationMs: durationMs() },
      });
      return errorResult(refusal.message);
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
        client: context.client,
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
