/*
 * Every metric the exporters publish, once, in neutral form: a family per
 * metric (its Prometheus and OpenTelemetry names, type, unit, help) and its
 * points, read from the live units of this process at collection time.
 */
import { DROP_CAUSES, listUnits, onUnitCreated, type DurationStats, type QueueMetrics, type WorkerMetrics } from '../index.js';

/** One value of a family, with its labels (attributes). Summaries carry a distribution instead. */
export interface Point {
  labels: Record<string, string>;
  value: number;
  /** Summaries: the distribution, in seconds. */
  summary?: { quantiles: Array<[quantile: number, seconds: number]>; sum: number; count: number };
}

/** One metric: its names in each ecosystem, its type and unit, and how to read its points. */
export interface Family {
  /** Prometheus name, without the prefix (`items_consumed_total`). */
  prom: string;
  /** OpenTelemetry name, without the prefix (`items.consumed`). */
  otel: string;
  type: 'counter' | 'gauge' | 'summary';
  /** UCUM unit, for OpenTelemetry (`s`, `By`, `{item}`). */
  unit: string;
  help: string;
  points(units: Snapshot): Point[];
}

/** What one collection reads: every worker's and queue's snapshot, taken once. */
export interface Snapshot {
  workers: WorkerMetrics[];
  queues: QueueMetrics[];
  pools: Array<{ name: string; restarts: number }>;
}

/** Takes every unit's snapshot once, for one collection. */
export function snapshotUnits(): Snapshot {
  const { workers, queues, pools } = listUnits();
  return {
    workers: workers.map((worker) => worker.metrics()),
    queues: queues.map((queue) => queue.metrics()),
    pools: pools.map((pool) => ({ name: pool.name, restarts: pool.metrics().restarts })),
  };
}

/** The label that names a queue: its consumer's or pool's name, or its own for a queue the main process consumes. */
function queueLabel(queue: QueueMetrics): string {
  return queue.owner.name ?? queue.name;
}

function perWorker(read: (worker: WorkerMetrics) => number | undefined, labels?: (worker: WorkerMetrics) => Record<string, string>) {
  return (units: Snapshot): Point[] =>
    units.workers.flatMap((worker) => {
      const value = read(worker);
      return value === undefined ? [] : [{ labels: { worker: worker.name, ...labels?.(worker) }, value }];
    });
}

function perQueue(read: (queue: QueueMetrics) => number) {
  return (units: Snapshot): Point[] => units.queues.map((queue) => ({ labels: queueLabels(queue), value: read(queue) }));
}

function queueLabels(queue: QueueMetrics): Record<string, string> {
  return { queue: queueLabel(queue), owner: queue.owner.kind };
}

const QUANTILES = [0.5, 0.9, 0.99] as const;

function summaryPoint(labels: Record<string, string>, stats: DurationStats): Point {
  const seconds = (ms: number) => ms / 1000;
  return {
    labels,
    value: stats.count,
    summary: {
      quantiles: [
        [QUANTILES[0], seconds(stats.p50)],
        [QUANTILES[1], seconds(stats.p90)],
        [QUANTILES[2], seconds(stats.p99)],
        [1, seconds(stats.max)],
      ],
      sum: seconds(stats.sum),
      count: stats.count,
    },
  };
}

/** Every metric, in the order they are published. */
export const FAMILIES: readonly Family[] = [
  { prom: 'worker_up', otel: 'worker.up', type: 'gauge', unit: '1', help: 'Whether the worker runs (1) or is stopped (0).', points: perWorker((w) => (w.state === 'stopped' ? 0 : 1), (w) => ({ kind: w.kind })) },
  { prom: 'worker_restarts_total', otel: 'worker.restarts', type: 'counter', unit: '{restart}', help: 'Children launched again after the first.', points: perWorker((w) => w.restarts) },
  { prom: 'worker_uptime_seconds', otel: 'worker.uptime', type: 'gauge', unit: 's', help: "Seconds since the current run's child was launched.", points: perWorker((w) => w.uptimeMs / 1000) },
  { prom: 'items_produced_total', otel: 'items.produced', type: 'counter', unit: '{item}', help: 'Items a producer made (a consumer: results).', points: perWorker((w) => w.produced.total) },
  {
    prom: 'items_consumed_total',
    otel: 'items.consumed',
    type: 'counter',
    unit: '{item}',
    help: 'Items a consumer was given to work.',
    points: perWorker((w) => (w.kind === 'consumer' ? w.consumed.total : undefined), (w) => ({ queue: w.queue ? queueLabel(w.queue) : '' })),
  },
  { prom: 'items_forwarded_total', otel: 'items.forwarded', type: 'counter', unit: '{item}', help: 'Items or results sent to subscriber queues.', points: perWorker((w) => w.forwarded.total) },
  { prom: 'work_calls_total', otel: 'work.calls', type: 'counter', unit: '{call}', help: 'Calls of work.', points: perWorker((w) => w.work.calls) },
  { prom: 'work_errors_total', otel: 'work.errors', type: 'counter', unit: '{error}', help: 'Calls of work that threw.', points: perWorker((w) => w.work.errors) },
  {
    prom: 'work_duration_seconds',
    otel: 'work.duration',
    type: 'summary',
    unit: 's',
    help: 'How long work took (the current or last run; measured while metrics are on).',
    points: (units) => units.workers.flatMap((w) => (w.work.duration ? [summaryPoint({ worker: w.name }, w.work.duration)] : [])),
  },
  { prom: 'backpressure_wait_seconds_total', otel: 'backpressure.wait', type: 'counter', unit: 's', help: 'Time a producer waited for room in a lossless subscriber.', points: perWorker((w) => w.backPressure.waitedMs / 1000) },
  { prom: 'process_resident_memory_bytes', otel: 'process.memory.rss', type: 'gauge', unit: 'By', help: "The child's resident set size.", points: perWorker((w) => w.process?.rssBytes) },
  { prom: 'process_cpu_seconds_total', otel: 'process.cpu.time', type: 'counter', unit: 's', help: "The child's CPU time (user + system), this run.", points: perWorker((w) => w.process?.cpuSeconds) },
  { prom: 'queue_size', otel: 'queue.size', type: 'gauge', unit: '{item}', help: 'Items waiting in the queue.', points: perQueue((q) => q.size) },
  { prom: 'queue_capacity', otel: 'queue.capacity', type: 'gauge', unit: '{item}', help: 'Items the queue holds at most.', points: perQueue((q) => q.capacity) },
  { prom: 'queue_received_total', otel: 'queue.received', type: 'counter', unit: '{item}', help: 'Items that entered the queue (this run of its host).', points: perQueue((q) => q.received) },
  { prom: 'queue_taken_total', otel: 'queue.taken', type: 'counter', unit: '{item}', help: 'Items its consumer took (this run of its host).', points: perQueue((q) => q.taken) },
  {
    prom: 'queue_dropped_total',
    otel: 'queue.dropped',
    type: 'counter',
    unit: '{item}',
    help: 'Items dropped or refused, by cause (overflow, refused, cleared, stopped, lost).',
    points: (units) => units.queues.flatMap((q) => DROP_CAUSES.map((cause) => ({ labels: { ...queueLabels(q), cause }, value: q.drops[cause] }))),
  },
  {
    prom: 'queue_latency_seconds',
    otel: 'queue.latency',
    type: 'summary',
    unit: 's',
    help: 'From a writer sending a batch to the consumer taking it (per batch).',
    points: (units) => units.queues.flatMap((q) => (q.latency ? [summaryPoint(queueLabels(q), q.latency)] : [])),
  },
  { prom: 'pool_restarts_total', otel: 'pool.restarts', type: 'counter', unit: '{restart}', help: 'Pool members restarted under the restart policy.', points: (units) => units.pools.map((p) => ({ labels: { pool: p.name }, value: p.restarts })) },
];

const keepOn = () => {};

/**
 * Turns metrics on for every worker, now and as they are created (a no-op
 * 'metrics' listener each: what a listener does), so that work durations and
 * the children's memory and CPU are measured. Returns how to undo it.
 */
export function metricsOnEverywhere(): () => void {
  const workers = new Set(listUnits().workers);
  for (const worker of workers) worker.on('metrics', keepOn);
  const stop = onUnitCreated((created) => {
    if (created.kind !== 'worker') return;
    workers.add(created.unit);
    created.unit.on('metrics', keepOn);
  });
  return () => {
    stop();
    for (const worker of workers) worker.off('metrics', keepOn);
  };
}
