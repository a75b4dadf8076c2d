/*
 * The snapshots `metrics()` returns in the main process. Plain data
 * (JSON-safe), so that they can be logged, sent or served as they are.
 */
import type { DropCounts } from '@prodcon/ipc';
import type { WorkerKind, WorkerState } from './protocol.js';
import type { DurationStats, RateCounter, ProcessUsage } from './report-types.js';

export type { DurationStats, RateCounter, ProcessUsage };

/** Why `work` failed last, with the child's stack. */
export interface LastError {
  name: string;
  message: string;
  code: string | undefined;
  /** The hook it failed in. */
  phase: string | undefined;
  /** The child's stack. */
  stack: string | undefined;
  /** When the main process learned it (ms since the epoch). */
  at: number;
}

/** A snapshot of one queue (`queue.metrics()`). */
export interface QueueMetrics {
  id: string;
  name: string;
  /**
   * Where its items live: a consumer's child, a pool's members, the main
   * process (`local`), or an engine such as Redis (`engine`; its `received`
   * and `taken` stay 0, the engine keeps no such counts).
   */
  owner: { kind: 'consumer' | 'pool' | 'local' | 'engine'; name: string | undefined };
  capacity: number;
  lossy: boolean;
  ready: boolean;
  /** Items waiting (as last reported by the process that hosts it). */
  size: number;
  /** Items that entered the queue, and that its consumer took (this run of its host; exact once it stopped). */
  received: number;
  taken: number;
  /** Every drop and refusal (`queue.dropped`), then by cause (`queue.drops`). */
  dropped: number;
  drops: DropCounts;
  /**
   * From a writer sending a batch to the consumer taking it (ms), per frame
   * (a batch of items), this run of its host. For a pool: the members'
   * counts added, and each percentile the highest of the members' (an upper
   * bound of the pool's own). Undefined until a stamped batch was taken.
   */
  latency: DurationStats | undefined;
}

/** What a worker (or a pool, its members added up) did: items in and out, `work` calls. */
export interface WorkFlow {
  /** Producers: items `work` returned; consumers: results `work` returned. */
  produced: RateCounter;
  /** Consumers: items `work` was given. */
  consumed: RateCounter;
  /** Items or results sent to at least one subscriber queue. */
  forwarded: RateCounter;
  work: {
    calls: number;
    errors: number;
    /**
     * How long `work` took (ms), measured while metrics are on (see `metricsInterval`): every call,
     * or, above about 4,000 calls a second, an even sample of them (its `count` says how many). A
     * pool's: its members' counts added, each percentile the highest member's (an upper bound).
     */
    duration: DurationStats | undefined;
  };
}

/** A snapshot of one worker (`worker.metrics()`). Counters add up over every run; durations are the last run's. */
export interface WorkerMetrics extends WorkFlow {
  name: string;
  kind: WorkerKind;
  /** The worker class's name. */
  className: string;
  state: WorkerState;
  /** The detailed state (`running`, `paused`, `draining`...). */
  status: string;
  pid: number | undefined;
  /** Milliseconds since the current run's child was launched (0 when stopped). */
  uptimeMs: number;
  /** Children launched so far, and how many of those launches were restarts (every one after the first). */
  runs: number;
  restarts: number;
  /** Time a producer waited for room in a lossless subscriber (credits: back-pressure). */
  backPressure: { waits: number; waitedMs: number };
  /** The child's memory and CPU, reported while metrics are on. */
  process: ProcessUsage | undefined;
  /** What a producer says it will produce in all (`static total(ctx)` or the `total` option). */
  total: number | undefined;
  lastError: LastError | undefined;
  /** A consumer's own queue. */
  queue: QueueMetrics | undefined;
  /** The ids of the queues it writes into. */
  subscribers: string[];
}

/** A snapshot of a ConsumerPool (`pool.metrics()`): its members' added up, and each member's. */
export interface PoolMetrics extends WorkFlow {
  name: string;
  state: string;
  size: number;
  /** Member restarts under the restart policy. */
  restarts: number;
  queue: QueueMetrics;
  members: WorkerMetrics[];
}

/** How far a finite pipeline got. */
export interface PipelineProgress {
  /** Per stage: items its units finished (a producer: produced; consumers: consumed). */
  stages: Array<{ names: string[]; done: number }>;
  /** Items the source declared it will produce (`static total(ctx)` or the `total` option), if it did. */
  total: number | undefined;
  /** Items of the source the second stage consumed (the source's own count for a one-stage pipeline). */
  done: number;
  /** `done / total` (0…1), when a total is known. */
  fraction: number | undefined;
  /** Every stage finished. */
  finished: boolean;
}

/** A snapshot of a pipeline (`pipeline.metrics()`): each stage's units, and the progress. */
export interface PipelineMetrics {
  stages: Array<Array<WorkerMetrics | PoolMetrics>>;
  progress: PipelineProgress;
}
