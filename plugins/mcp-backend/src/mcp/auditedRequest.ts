import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { randomUUID } from 'node:crypto';
import { classifyToolError } from './errorBoundary';
import { decideGovernance, decisionAuditMeta, refusalOf } from './denials';
import { auditedAgent, McpRequestContext } from './requestContext';

/** One audited request for a resource or a prompt. */
export interface AuditedRequest<T> {
  /** `resource-read` or `prompt-get`. */
  eventId: string;
  /** What was asked for, for the audit and for messages, e.g. `resource backstage://...`. */
  subject: string;
  meta: JsonObject;
  /** The gate's decision: false refuses without running anything. */
  allowed: boolean;
  denialMessage: string;
  run(): Promise<T>;
  /** What the audit event records besides the outcome once `run` succeeded. */
  successMeta?(): JsonObject;
  /** Turns a caller-facing failure into the protocol error the client receives. */
  toProtocolError(failure: { name: string; message: string }): ProtocolError;
}

/**
 * Runs a resources/read or prompts/get request through the same pipeline as
 * a tool call: the gate's decision, the handler, the error boundary and an
 * audit event with decision, outcome and duration. Unlike tool calls, these
 * methods answer failures with JSON-RPC errors, so messages become
 * protocol errors rather than isError results.
 */
export function createAuditedRequestRunner(deps: { logger: LoggerService; auditor: AuditorService }) {
  const { logger, auditor } = deps;

  return async function runAudited<T>(
    request: AuditedRequest<T>,
    context: McpRequestContext,
  ): Promise<T> {
    const started = performance.now();
    const durationMs = () => Math.round((performance.now() - started) * 100) / 100;
    const decision = await decideGovernance(context, request.allowed ? undefined : 'policy', false);
    const auditEvent = await auditor.createEvent({
      eventId: request.eventId,
      severityLevel: decision.reason ? 'medium' : 'low',
      request: context.httpRequest,
      meta: { agent: auditedAgent(context), ...request.meta, ...decisionAuditMeta(decision) },
    });

    if (decision.reason) {
      const refusal = refusalOf(
        { ...decision, reason: decision.reason },
        request.subject,
        context,
        request.denialMessage,
      );
      await auditEvent.fail({
        error: refusal.error,
        meta: { outcome: refusal.outcome, durationMs: durationMs() },
      });
      throw request.toProtocolError({ name: refusal.error.name, message: refusal.message });
    }
    try {
      const result = await request.run();
      await auditEvent.success({
        meta: { outcome: 'ok', durationMs: durationMs(), ...request.successMeta?.() },
      });
      return result;
    } catch (error) {
      const failure = classifyToolError(error, {
        logger,
        toolName: request.eventId,
        subject: request.subject,
        reference: randomUUID(),
      });
      await auditEvent.fail({
        error: Object.assign(new Error(failure.message), { name: failure.name }),
        meta: { outcome: failure.kind === 'caller-error' ? 'caller-error' : 'error', durationMs: durationMs() },
      });
      if (failure.kind === 'internal-error') {
        throw new ProtocolError(ProtocolErrorCode.InternalError, failure.message);
      }
      throw request.toProtocolError(failure);
    }
  };
}

/** The function that runs audited requests, see {@link createAuditedRequestRunner}. */
export type AuditedRequestRunner = ReturnType<typeof createAuditedRequestRunner>;
