import { mockCredentials } from '@backstage/backend-test-utils';
import { connectMcpClient } from '@backstage-mcp/test-utils';
import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { conditionalToolPermissions } from '../__testUtils__/governance';
import { startMcpTestBackend } from '../__testUtils__/startMcpTestBackend';

// Backstage's metrics and tracing services use the global providers, as an
// OpenTelemetry SDK set up by the portal's instrumentation file would.
const metricExporter = new InMemoryMetricExporter(
  AggregationTemporality.CUMULATIVE,
);
const metricReader = new PeriodicExportingMetricReader({
  exporter: metricExporter,
  exportIntervalMillis: 60_000,
});
const spanExporter = new InMemorySpanExporter();
metrics.setGlobalMeterProvider(new MeterProvider({ readers: [metricReader] }));
trace.setGlobalTracerProvider(
  new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spanExporter)],
  }),
);

async function collectedPoints(name: string) {
  await metricReader.forceFlush();
  const all = metricExporter
    .getMetrics()
    .flatMap(r => r.scopeMetrics)
    .flatMap(s => s.metrics)
    .filter(m => m.descriptor.name === name);
  return all.at(-1)?.dataPoints ?? [];
}

describe('OpenTelemetry metrics and spans of MCP operations', () => {
  afterAll(async () => {
    metrics.disable();
    trace.disable();
  });

  it('records duration by method, tool and error type, refusals by reason, and a span per call without argument values', async () => {
    const permissions = conditionalToolPermissions({
      not: {
        rule: 'IS_TOOL_NAME',
        resourceType: 'mcp-tool',
        params: { names: ['catalog_refresh_entity'] },
      },
    });
    const { backend, mcpUrl } = await startMcpTestBackend({
      features: [permissions.factory],
    });
    try {
      const client = await connectMcpClient('2026-07-28', mcpUrl, {
        Authorization: mockCredentials.user.header(),
      });
      expect((await client.callTool('whoami', {})).isError).toBeFalsy();
      expect(
        (
          await client.callTool('catalog_get_entity', {
            ref: 'component:default/no-such-thing',
          })
        ).isError,
      ).toBe(true);
      expect(
        (
          await client.callTool('catalog_refresh_entity', {
            ref: 'shop-backend',
          })
        ).isError,
      ).toBe(true);
      await client.readResource(
        'backstage://entity/component/default/shop-backend',
      );
      await client.close();

      const durations = await collectedPoints('mcp.server.operation.duration');
      const series = durations.map(p => p.attributes);
      expect(series).toEqual(
        expect.arrayContaining([
          {
            'mcp.method.name': 'tools/call',
            'gen_ai.tool.name': 'whoami',
            'gen_ai.operation.name': 'execute_tool',
          },
          {
            'mcp.method.name': 'tools/call',
            'gen_ai.tool.name': 'catalog_get_entity',
            'gen_ai.operation.name': 'execute_tool',
            'error.type': 'NotFoundError',
          },
          {
            'mcp.method.name': 'tools/call',
            'gen_ai.tool.name': 'catalog_refresh_entity',
            'gen_ai.operation.name': 'execute_tool',
            'error.type': 'policy',
          },
          { 'mcp.method.name': 'resources/read' },
        ]),
      );
      // Entity URIs stay off metrics: their series would have no bound.
      expect(JSON.stringify(series)).not.toContain('backstage://');

      const refusals = await collectedPoints('backstage.mcp.refusals');
      expect(
        refusals.map(p => [
          p.attributes['backstage.mcp.refusal.reason'],
          p.attributes['gen_ai.tool.name'],
          p.value,
        ]),
      ).toEqual([['policy', 'catalog_refresh_entity', 1]]);

      const spans = spanExporter.getFinishedSpans();
      const byName = (name: string) => spans.find(s => s.name === name);
      expect(byName('tools/call whoami')).toMatchObject({
        status: { code: 1 },
      });
      expect(byName('tools/call catalog_get_entity')).toMatchObject({
        status: { code: 2 },
        attributes: expect.objectContaining({
          'error.type': 'NotFoundError',
          'gen_ai.tool.name': 'catalog_get_entity',
        }),
      });
      expect(byName('resources/read')?.attributes['mcp.resource.uri']).toBe(
        'backstage://entity/component/default/shop-backend',
      );
      expect(JSON.stringify(spans.map(s => s.attributes))).not.toContain(
        'no-such-thing',
      );
    } finally {
      await backend.stop();
    }
  });

  it('puts the argument summary on spans only when configured, with secrets redacted', async () => {
    spanExporter.reset();
    const { backend, mcpUrl } = await startMcpTestBackend({
      config: { mcp: { telemetry: { captureArguments: true } } },
    });
    try {
      const client = await connectMcpClient('2025-11-25', mcpUrl, {
        Authorization: mockCredentials.user.header(),
      });
      await client.callTool('catalog_search', {
        query: 'shop',
        filter: { 'metadata.annotations.token': 'hunter2' },
      });
      await client.close();
      const span = spanExporter
        .getFinishedSpans()
        .find(s => s.name === 'tools/call catalog_search');
      expect(span?.attributes['gen_ai.tool.call.arguments']).toEqual(
        expect.stringContaining('"query":"shop"'),
      );
      expect(span?.attributes['gen_ai.tool.call.arguments']).not.toContain(
        'hunter2',
      );
    } finally {
      await backend.stop();
    }
  });
});
