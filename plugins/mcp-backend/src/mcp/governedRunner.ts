import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { randomUUID } from 'node:crypto';
import { ToolAccess, ToolDenialReason } from '../permissions/toolAccess';
import { EntityTextValueReader } from '../redaction/entityTextValues';
import { RedactionConfig, redactionRulesFor } from '../config/redactionConfig';
import { RedactedResult, redactResult } from '../redaction/redactResult';
import { RedactionAliases } from '../tools/types';
import { decideGovernance, decisionAuditMeta, refusalOf } from './denials';
import { CallDeadlineError, withinDeadline } from './deadline';
import { classifyToolError } from './errorBoundary';
import { auditedCaller, McpRequestContext } from './requestContext';
import { stripInvisible, stripInvisibleDeep } from './textHygiene';
import { McpOperation, McpTelemetry } from '../observability/mcpTelemetry';

/**
 * One request of any MCP method that touches Backstage (a tool call, a
 * resource read or listing, a prompt, a completion), as the governed runner
 * needs it. `V` is the validated input, `T` what the handler returns.
 */
export interface GovernedRequest<V, T> {
  /** The audit event: `tool-call`, `resource-read`, `resource-list`, `prompt-get`, `completion`. */
  eventId: string;
  /** What metrics and spans record of the request (the audit's argument summary is added). */
  operation: McpOperation;
  /** What a refusal names, e.g. `use catalog_search`. */
  action: string;
  /** What an error names, e.g. `tool catalog_search`. */
  subject: string;
  /** What the audit event records of the request (never argument values that may be secret). */
  meta: JsonObject;
  /** The permission gate: why the caller may not make this request, if not. */
  gate?(access: ToolAccess): ToolDenialReason | undefined;
  /** Replaces the generic explanation of a policy refusal. */
  policyMessage?: string;
  /** True when the request may change something: it takes from the write budget too. */
  writes?: boolean;
  /** Validates the arguments; throws InputError with an actionable message. */
  validate(): V;
  /** Time the request may take on purpose (a long poll, a docs build) beyond mcp.callTimeout. */
  waitsMs?(input: V): number;
  /** The handler, with the caller's credentials bound by the method. */
  run(input: V, signal: AbortSignal): Promise<T>;
  /** Where entity fields sit under other names in the result. */
  redactionAliases?: RedactionAliases;
  /**
   * Applies `restrict` (field restrictions on a JSON value) to a result that
   * holds entities in another form, e.g. resource contents as JSON text.
   */
  restrictFields?(
    value: T,
    restrict: (json: unknown) => RedactedResult<unknown>,
  ): RedactedResult<T>;
  /**
   * Renders the result for the client (a tool's content blocks) after text
   * hygiene and field restrictions, so that it shows only what they let
   * through; its errors are answered like the handler's.
   */
  render?(value: T): T;
  /** The audit outcome of a success, when not `ok` (e.g. `input-required`). */
  outcomeOf?(value: T): string;
}

/** Why a governed request produced no result, as every method renders it. */
export interface GovernedFailure {
  /** refused: governance said no; caller-error: the request was wrong; timeout and internal-error: the portal failed. */
  kind: 'refused' | 'caller-error' | 'timeout' | 'internal-error';
  /** The error's name, e.g. NotAllowedError, NotFoundError. */
  name: string;
  /** What the client is told: actionable, clean, never a stack trace. */
  message: string;
}

/** The result of a governed request. */
export type GovernedOutcome<T> =
  | { ok: true; value: T }
  | ({ ok: false } & GovernedFailure);

const durationSince = (started: number) =>
  Math.round((performance.now() - started) * 100) / 100;
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * The one governed path of every MCP method that touches Backstage, in this
 * order: kill switch, permission decision and agent scope, budget, input
 * validation, the handler with the caller's credentials within a bounded
 * time, text hygiene, field restrictions, rendering, audit, and one error
 * boundary.
 * Methods differ only in how they render the outcome (an `isError` tool
 * result or a JSON-RPC error).
 */
export function createGovernedRunner(deps: {
  logger: LoggerService;
  auditor: AuditorService;
  redaction: RedactionConfig;
  readEntityTextValues: EntityTextValueReader;
  /** mcp.callTimeout: how long a handler may wait for the services it calls. */
  callTimeoutMs: number;
  observe: McpTelemetry;
}) {
  const {
    logger,
    auditor,
    redaction,
    readEntityTextValues,
    callTimeoutMs,
    observe,
  } = deps;

  return async function runGoverned<V, T>(
    request: GovernedRequest<V, T>,
    context: McpRequestContext & { signal?: AbortSignal },
  ): Promise<GovernedOutcome<T>> {
    const operation = {
      ...request.operation,
      arguments: request.meta.arguments,
    };
    const { outcome } = await observe(operation, context.caller, async () => {
      const { errorType, ...result } = await runOnce(request, context);
      return {
        outcome: result as GovernedOutcome<T>,
        errorType,
        refused: !result.ok && result.kind === 'refused',
      };
    });
    return outcome;
  };

  async function runOnce<V, T>(
    request: GovernedRequest<V, T>,
    context: McpRequestContext & { signal?: AbortSignal },
  ): Promise<GovernedOutcome<T> & { errorType?: string }> {
    const started = performance.now();
    let access: ToolAccess;
    try {
      access = await context.getToolAccess();
    } catch (error) {
      // The permission decision did not come in time (see
      // createToolAccessDecider): nothing ran, and the caller is told so.
      if (!(error instanceof CallDeadlineError)) throw error;
      const auditEvent = await auditor.createEvent({
        eventId: request.eventId,
        severityLevel: 'medium',
        request: context.httpRequest,
        meta: { agent: auditedCaller(context), ...request.meta },
      });
      const message = `The ${request.subject} did not finish within ${seconds(
        error.limitMs,
      )} s: the permission decision did not come (the permission framework, or the sign-in service it asks about users, is slow or unavailable). Nothing was done. Retry in a minute.`;
      await auditEvent.fail({
        error: Object.assign(new Error(message), { name: error.name }),
        meta: { outcome: 'timeout', durationMs: durationSince(started) },
      });
      return {
        ok: false,
        kind: 'timeout',
        name: error.name,
        message,
        errorType: 'timeout',
      };
    }
    const decision = await decideGovernance(
      context,
      request.gate?.(access),
      Boolean(request.writes),
    );
    const auditEvent = await auditor.createEvent({
      eventId: request.eventId,
      severityLevel: request.writes || decision.reason ? 'medium' : 'low',
      request: context.httpRequest,
      meta: {
        agent: auditedCaller(context),
        ...request.meta,
        policyResult: access.result,
        ...decisionAuditMeta(decision),
      },
    });

    if (decision.reason) {
      const refusal = refusalOf(
        { ...decision, reason: decision.reason },
        request.action,
        context,
        request.policyMessage,
      );
      await auditEvent.fail({
        error: refusal.error,
        meta: { outcome: refusal.outcome, durationMs: durationSince(started) },
      });
      return {
        ok: false,
        kind: 'refused',
        name: refusal.error.name,
        message: refusal.message,
        errorType: decision.reason,
      };
    }

    const rules = redactionRulesFor(redaction, context.caller);
    try {
      const input = request.validate();
      const limitMs = callTimeoutMs + (request.waitsMs?.(input) ?? 0);
      const { value, removed, paths } = await withinDeadline(
        async signal => {
          const raw = await request.run(input, signal);
          // Text others wrote reaches the model without characters it cannot see.
          const visible = stripInvisibleDeep(raw);
          // Field restrictions hold whatever path found the entity.
          const entityValues = await readEntityTextValues(
            visible.value,
            request.redactionAliases,
            rules,
            context.credentials,
          );
          const restrict = (json: unknown) =>
            redactResult(json, rules, request.redactionAliases, entityValues);
          const restricted = request.restrictFields
            ? request.restrictFields(visible.value, restrict)
            : (restrict(visible.value) as RedactedResult<T>);
          const rendered = request.render
            ? request.render(restricted.value)
            : restricted.value;
          return { ...restricted, value: rendered, removed: visible.removed };
        },
        limitMs,
        context.signal,
      );
      await auditEvent.success({
        meta: {
          outcome: request.outcomeOf?.(value) ?? 'ok',
          durationMs: durationSince(started),
          ...(removed ? { invisibleCharactersRemoved: removed } : {}),
          ...(paths.length ? { fieldsRedacted: paths } : {}),
        },
      });
      return { ok: true, value };
    } catch (error) {
      const failure: GovernedFailure =
        error instanceof CallDeadlineError
          ? {
              kind: 'timeout',
              name: error.name,
              message: `The ${request.subject} did not finish within ${seconds(
                error.limitMs,
              )} s: a service it needs (the catalog, its database or another plugin) is slow or unavailable. ${
                request.writes
                  ? 'It may still complete: check its effect before retrying.'
                  : 'Retry in a minute.'
              }`,
            }
          : classifyToolError(error, {
              logger,
              toolName: request.eventId,
              subject: request.subject,
              reference: randomUUID(),
            });
      if (failure.kind === 'timeout') {
        logger.warn(
          `MCP ${request.subject} did not finish within ${
            error instanceof CallDeadlineError ? error.limitMs : callTimeoutMs
          } ms`,
        );
      }
      // Error messages quote what others wrote (entity names, upstream errors).
      const message = stripInvisible(failure.message).value;
      await auditEvent.fail({
        error: Object.assign(new Error(message), { name: failure.name }),
        meta: {
          outcome:
            failure.kind === 'caller-error' || failure.kind === 'timeout'
              ? failure.kind
              : 'error',
          durationMs: durationSince(started),
        },
      });
      return {
        ok: false,
        ...failure,
        message,
        errorType: failure.kind === 'timeout' ? 'timeout' : failure.name,
      };
    }
  }
}

/** The governed runner, see {@link createGovernedRunner}. */
export type GovernedRunner = ReturnType<typeof createGovernedRunner>;
