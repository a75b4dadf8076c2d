/**
 * prodcon's metrics for OpenTelemetry, through `@opentelemetry/api` (an
 * optional peer dependency: this module is loaded only by those who import
 * `@prodcon/core/opentelemetry`, and uses only the meter it is given).
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * import { observeMetrics } from '@prodcon/core/opentelemetry';
 * observeMetrics(metrics.getMeter('my-app'));
 * ```
 * @module
 */
import type { Attributes, BatchObservableResult, Meter } from '@opentelemetry/api';
import { FAMILIES, metricsOnEverywhere, snapshotUnits } from './catalog.js';

/** Options of observeMetrics(). */
export interface OpenTelemetryOptions {
  /** Put before every instrument name (default `prodcon.`). */
  prefix?: string;
  /** Turn metrics on for every worker, so that `work` durations and memory and CPU are measured (default true). */
  timing?: boolean;
}

/**
 * Creates observable instruments on `meter` for every prodcon metric
 * (counters as observable counters, the rest as observable gauges), observed
 * together at each collection from every live worker, pool and queue of this
 * process. Attributes follow the metric: `prodcon.worker`, `prodcon.worker.kind`,
 * `prodcon.queue`, `prodcon.queue.owner`, `prodcon.drop.cause`, `prodcon.pool`. Durations (`work.duration`,
 * `queue.latency`) are gauges with a `quantile` attribute (0.5, 0.9, 0.99, 1),
 * since OpenTelemetry has no observable histogram. Returns how to stop.
 */
export function observeMetrics(meter: Meter, options: OpenTelemetryOptions = {}): () => void {
  const prefix = options.prefix ?? 'prodcon.';
  const instruments = FAMILIES.map((family) => {
    const description = { description: family.help, unit: family.unit };
    const name = prefix + family.otel;
    return family.type === 'counter' ? meter.createObservableCounter(name, description) : meter.createObservableGauge(name, description);
  });
  const callback = (result: BatchObservableResult) => {
    const units = snapshotUnits();
    FAMILIES.forEach((family, index) => {
      const instrument = instruments[index];
      for (const point of family.points(units)) {
        const attributes = attributesOf(point.labels);
        if (!point.summary) {
          result.observe(instrument, point.value, attributes);
          continue;
        }
        for (const [quantile, seconds] of point.summary.quantiles) result.observe(instrument, seconds, { ...attributes, quantile });
      }
    });
  };
  meter.addBatchObservableCallback(callback, instruments);
  const stopTiming = options.timing === false ? () => {} : metricsOnEverywhere();
  return () => {
    meter.removeBatchObservableCallback(callback, instruments);
    stopTiming();
  };
}

/** Labels whose attribute name says more than `prodcon.<label>`. */
const RENAMED: Record<string, string> = { cause: 'prodcon.drop.cause', kind: 'prodcon.worker.kind', owner: 'prodcon.queue.owner' };

/** Labels as OpenTelemetry attributes: namespaced (`worker` → `prodcon.worker`, `cause` → `prodcon.drop.cause`). */
function attributesOf(labels: Record<string, string>): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(labels)) {
    const name = RENAMED[key] ?? `prodcon.${key}`;
    attributes[name] = value;
  }
  return attributes;
}
