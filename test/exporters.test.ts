/**
 * The exporters: Prometheus text parsed back and checked against the API's
 * figures, and OpenTelemetry instruments collected through the SDK.
 */
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { pipeline } from '@prodcon/core';
import { observeMetrics } from '@prodcon/core/opentelemetry';
import { registerMetrics } from '@prodcon/core/prometheus';
import { Registry } from 'prom-client';
import { Numbers, Sleeper } from './fixtures/metrics-workers.mjs';
import { parsePrometheusText, type ParsedSample } from './helpers/prometheus-text.js';

const N = 500;

async function finishedPipeline(name: string) {
  const source = new Numbers({ name: `${name}-source`, args: { count: N }, output: 'ignore' });
  const sink = new Sleeper({ name: `${name}-sink`, maxBufferSize: 50, workTimeout: 5, args: { ms: 2 }, output: 'ignore' });
  const flow = pipeline(source, sink);
  return { source, sink, flow };
}

describe('the Prometheus exporter', () => {
  it('publishes every worker and queue under prodcon_ names, counters exact, durations as summaries', async () => {
    const registry = new Registry();
    const unregister = registerMetrics(registry);
    const { sink, flow } = await finishedPipeline('prom'); // created after registerMetrics: found all the same
    await flow.start();
    await flow.done;

    const { types, samples } = parsePrometheusText(await registry.metrics());
    const find = (name: string, labels: Record<string, string>): ParsedSample[] =>
      samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
    const value = (name: string, labels: Record<string, string>) => {
      const found = find(name, labels);
      expect(found).toHaveLength(1);
      return found[0]!.value;
    };

    expect(types.get('prodcon_items_consumed_total')).toBe('counter');
    expect(types.get('prodcon_queue_size')).toBe('gauge');
    expect(types.get('prodcon_work_duration_seconds')).toBe('summary');
    expect(value('prodcon_items_produced_total', { worker: 'prom-source' })).toBe(N);
    expect(value('prodcon_items_consumed_total', { worker: 'prom-sink', queue: 'prom-sink' })).toBe(N);
    expect(value('prodcon_queue_received_total', { queue: 'prom-sink', owner: 'consumer' })).toBe(N);
    expect(value('prodcon_queue_dropped_total', { queue: 'prom-sink', cause: 'overflow' })).toBe(0);
    expect(find('prodcon_queue_dropped_total', { queue: 'prom-sink' }).map((sample) => sample.labels.cause).sort()).toEqual(
      ['cleared', 'lost', 'overflow', 'refused', 'stopped'],
    );
    expect(value('prodcon_worker_up', { worker: 'prom-sink', kind: 'consumer' })).toBe(0);

    // The summary: quantiles in seconds, and _sum / _count matching the API's histogram.
    const duration = sink.metrics().work.duration!;
    expect(value('prodcon_work_duration_seconds_count', { worker: 'prom-sink' })).toBe(duration.count);
    expect(value('prodcon_work_duration_seconds_sum', { worker: 'prom-sink' })).toBeCloseTo(duration.sum / 1000, 6);
    expect(value('prodcon_work_duration_seconds', { worker: 'prom-sink', quantile: '0.5' })).toBeCloseTo(duration.p50 / 1000, 6);
    expect(value('prodcon_work_duration_seconds', { worker: 'prom-sink', quantile: '0.5' })).toBeGreaterThanOrEqual(0.002);
    expect(find('prodcon_queue_latency_seconds', { queue: 'prom-sink', quantile: '0.99' })).toHaveLength(1);

    unregister();
    expect(await registry.metrics()).not.toContain('prodcon_');
  });
});

/** Collects on demand (the SDK's readers export on a schedule; a test collects when it wants). */
class CollectingReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

describe('the OpenTelemetry exporter', () => {
  it('observes the same figures as instruments named prodcon.*, with prodcon.* attributes', async () => {
    const reader = new CollectingReader();
    const provider = new MeterProvider({ readers: [reader] });
    const stop = observeMetrics(provider.getMeter('test'));
    const { flow } = await finishedPipeline('otel');
    await flow.start();
    await flow.done;

    const { resourceMetrics } = (await reader.collect()) as { resourceMetrics: ResourceMetrics };
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const point = (name: string, attributes: Record<string, unknown>) => {
      const metric = metrics.find((candidate) => candidate.descriptor.name === name)!;
      expect(metric).toBeDefined();
      const points = metric.dataPoints.filter((data) => Object.entries(attributes).every(([key, value]) => data.attributes[key] === value));
      expect(points).toHaveLength(1);
      return { value: points[0]!.value as number, unit: metric.descriptor.unit };
    };
    expect(point('prodcon.items.consumed', { 'prodcon.worker': 'otel-sink' })).toEqual({ value: N, unit: '{item}' });
    expect(point('prodcon.items.produced', { 'prodcon.worker': 'otel-source' }).value).toBe(N);
    expect(point('prodcon.queue.dropped', { 'prodcon.queue': 'otel-sink', 'prodcon.drop.cause': 'refused' }).value).toBe(0);
    expect(point('prodcon.work.duration', { 'prodcon.worker': 'otel-sink', quantile: 0.5 }).unit).toBe('s');
    stop();
    await provider.shutdown();
  });
});
