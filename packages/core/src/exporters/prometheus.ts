/**
 * prodcon's metrics for Prometheus, through prom-client (an optional peer
 * dependency: this module is loaded only by those who import
 * `@prodcon/core/prometheus`, and uses only the registry it is given).
 *
 * @example
 * ```ts
 * import { Registry } from 'prom-client';
 * import { registerMetrics } from '@prodcon/core/prometheus';
 * const registry = new Registry();
 * registerMetrics(registry); // like prom-client's collectDefaultMetrics
 * // serve `await registry.metrics()` on /metrics
 * ```
 * @module
 */
import type { Registry } from 'prom-client';
import { FAMILIES, metricsOnEverywhere, snapshotUnits, type Family, type Snapshot } from './catalog.js';

/** Options of registerMetrics(). */
export interface PrometheusOptions {
  /** Put before every metric name (default `prodcon_`). */
  prefix?: string;
  /**
   * Turn metrics on for every worker, so that `work` durations and the
   * children's memory and CPU are measured (default true).
   */
  timing?: boolean;
}

/** A value line of a metric, as prom-client's registry renders it. */
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/**
 * Registers every prodcon metric in `registry`: workers (up, restarts,
 * uptime, items produced / consumed / forwarded, work calls, errors and
 * durations, back-pressure, memory, CPU), queues (size, capacity, received,
 * taken, drops by cause, latency) and pools (restarts). Values are read from
 * every live worker, pool and queue of this process at each scrape: units
 * created later appear by themselves. Returns a function that unregisters them.
 */
export function registerMetrics(registry: Registry, options: PrometheusOptions = {}): () => void {
  const prefix = options.prefix ?? 'prodcon_';
  // One snapshot of every unit per scrape, shared by all families (a scrape reads them in one turn).
  let cached: { snapshot: Snapshot; at: number } | undefined;
  const units = () => {
    const now = performance.now();
    if (!cached || now - cached.at > 100) cached = { snapshot: snapshotUnits(), at: now };
    return cached.snapshot;
  };
  const names = FAMILIES.map((family) => {
    const name = prefix + family.prom;
    const metric = {
      name,
      help: family.help,
      type: family.type,
      aggregator: 'sum',
      get: () => Promise.resolve({ name, help: family.help, type: family.type, aggregator: 'sum', values: samples(family, name, units()) }),
      reset: () => {},
    };
    registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
    return name;
  });
  const stopTiming = options.timing === false ? () => {} : metricsOnEverywhere();
  return () => {
    for (const name of names) registry.removeSingleMetric(name);
    stopTiming();
  };
}

/** A family's points as prom-client samples: a summary becomes its quantiles, `_sum` and `_count`. */
function samples(family: Family, name: string, units: Snapshot): Sample[] {
  const result: Sample[] = [];
  for (const point of family.points(units)) {
    if (!point.summary) {
      result.push({ labels: point.labels, value: point.value });
      continue;
    }
    for (const [quantile, seconds] of point.summary.quantiles) result.push({ labels: { ...point.labels, quantile }, value: seconds });
    result.push({ metricName: `${name}_sum`, labels: point.labels, value: point.summary.sum });
    result.push({ metricName: `${name}_count`, labels: point.labels, value: point.summary.count });
  }
  return result;
}
