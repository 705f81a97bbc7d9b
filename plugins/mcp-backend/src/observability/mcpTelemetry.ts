import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  MetricAttributes,
  MetricsService,
  TracingService,
  TracingServiceSpan,
} from '@backstage/backend-plugin-api/alpha';
import { JsonValue } from '@backstage/types';

/** The MCP method an operation serves, as the semantic conventions name it. */
export type McpMethodName =
  | 'tools/call'
  | 'resources/read'
  | 'resources/list'
  | 'prompts/get'
  | 'completion/complete';

/** What one operation is about, for its span and its measurements. */
export interface McpOperation {
  method: McpMethodName;
  toolName?: string;
  promptName?: string;
  /** On spans only: entity URIs would make metric series without bound. */
  resourceUri?: string;
  /** The audit's argument summary (secrets redacted); on spans only, and only when configured. */
  arguments?: JsonValue;
}

/** How an operation ended: `errorType` is absent on success. */
export interface McpOperationEnd {
  /** A refusal's reason (`policy`, `agent-scope`, `blocked`, `rate-limited`), an error name, or `timeout`. */
  errorType?: string;
  refused: boolean;
}

// The bucket boundaries the semantic conventions recommend for MCP durations, in seconds.
const DURATION_BUCKETS = [
  0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300,
];

/**
 * Metrics and spans of every governed MCP operation, following the
 * OpenTelemetry semantic conventions for MCP servers: the
 * `mcp.server.operation.duration` histogram by method, tool or prompt and
 * error type, a span per operation, and `backstage.mcp.refusals` counting
 * requests refused before they ran, by reason. Argument values reach spans
 * only with `mcp.telemetry.captureArguments`, and then only as the audit's
 * summary, with secret-looking values redacted.
 */
export function createMcpTelemetry(deps: {
  metrics: MetricsService;
  tracing: TracingService;
  captureArguments: boolean;
}) {
  const duration = deps.metrics.createHistogram(
    'mcp.server.operation.duration',
    {
      description:
        'Duration of MCP requests that touch Backstage, from the governance decision to the answer',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    },
  );
  const refusals = deps.metrics.createCounter('backstage.mcp.refusals', {
    description:
      'MCP requests refused before they ran, by reason (policy, agent-scope, blocked, rate-limited)',
    unit: '{request}',
  });

  const metricAttributes = (operation: McpOperation): MetricAttributes => ({
    'mcp.method.name': operation.method,
    ...(operation.toolName
      ? {
          'gen_ai.tool.name': operation.toolName,
          'gen_ai.operation.name': 'execute_tool',
        }
      : {}),
    ...(operation.promptName
      ? { 'gen_ai.prompt.name': operation.promptName }
      : {}),
  });

  return async function observe<T extends McpOperationEnd>(
    operation: McpOperation,
    caller: BackstageCredentials,
    run: (span: TracingServiceSpan) => Promise<T>,
  ): Promise<T> {
    const target = operation.toolName ?? operation.promptName;
    const attributes = {
      ...metricAttributes(operation),
      ...(operation.resourceUri
        ? { 'mcp.resource.uri': operation.resourceUri }
        : {}),
      ...(deps.captureArguments && operation.arguments !== undefined
        ? { 'gen_ai.tool.call.arguments': JSON.stringify(operation.arguments) }
        : {}),
    } as Record<string, string>;
    const started = performance.now();
    return deps.tracing.startActiveSpan(
      target ? `${operation.method} ${target}` : operation.method,
      { kind: 'server', attributes, credentials: caller },
      async span => {
        const end = await run(span);
        const measured = {
          ...metricAttributes(operation),
          ...(end.errorType ? { 'error.type': end.errorType } : {}),
        };
        duration.record((performance.now() - started) / 1000, measured);
        if (end.refused) {
          refusals.add(1, {
            ...measured,
            'backstage.mcp.refusal.reason': end.errorType,
          });
        }
        if (end.errorType) {
          span.setAttribute('error.type', end.errorType);
          span.setStatus({ code: 'error', message: end.errorType });
        } else {
          span.setStatus({ code: 'ok' });
        }
        return end;
      },
    );
  };
}

/** Observes governed operations, see {@link createMcpTelemetry}. */
export type McpTelemetry = ReturnType<typeof createMcpTelemetry>;
