import { log, hasLogger } from '../shared/logger.js';
import type { QueueMetrics, WorkerMetrics } from '../shared/metrics-types.js';
import type { ChildControl, WorkerKind, WorkerState } from '../shared/protocol.js';
import { MetricsFeed, type ListenerSource } from './metrics-feed.js';
import { WorkerMetricsRecord } from './worker-metrics.js';

/** What a worker's instruments need of the worker: its public face (a Worker, seen narrowly). */
export interface InstrumentedWorker extends ListenerSource {
  readonly name: string;
  readonly status: string;
  readonly pid: number | undefined;
  getState(): WorkerState;
  getSubscribers(): Array<{ readonly id: string }>;
  /** A consumer's queue. */
  getWorkQueue?(): { metrics(): QueueMetrics };
  listenerCount(event: 'metrics'): number;
  emit(event: 'metrics', snapshot: WorkerMetrics): boolean;
}

/**
 * A worker's metrics and diagnostics in the main process: its record across
 * runs, its 'metrics' event, and what its child reports on the stats path or
 * forwards to the logger.
 */
export class WorkerInstruments {
  readonly record = new WorkerMetricsRecord();
  readonly feed: MetricsFeed;
  #worker: InstrumentedWorker;
  #kind: WorkerKind;

  /**
   * @param interval the `metricsInterval` option.
   * @param tellChild tells the running child (if any) that metrics were switched on or off.
   */
  constructor(worker: InstrumentedWorker, kind: WorkerKind, interval: number | undefined, tellChild: (on: boolean) => void) {
    this.#worker = worker;
    this.#kind = kind;
    this.feed = new MetricsFeed({
      interval,
      listeners: () => worker.listenerCount('metrics'),
      emit: () => worker.emit('metrics', this.snapshot()),
      switched: tellChild,
    });
    this.feed.followListeners(worker);
  }

  snapshot(): WorkerMetrics {
    const worker = this.#worker;
    return this.record.snapshot({
      name: worker.name,
      kind: this.#kind,
      className: worker.constructor.name,
      state: worker.getState(),
      status: worker.status,
      pid: worker.pid,
      queue: worker.getWorkQueue?.().metrics(),
      subscribers: worker.getSubscribers().map((queue) => queue.id),
    });
  }

  /** What a new child's spec says about metrics and logging. */
  specFields(): { metrics: boolean; log: boolean } {
    return { metrics: this.feed.on, log: hasLogger() };
  }

  launched(): void {
    this.record.launched();
    const runs = this.record.runs;
    if (runs > 1) log('info', `worker '${this.#worker.name}' started again (run ${runs})`, { worker: this.#worker.name, runs });
    this.feed.live(true);
  }

  /** Handles what a child reports about itself; false for the messages it leaves to the worker. */
  control(message: ChildControl): boolean {
    if (message.type === 'queueStats' && message.worker) this.record.reported(message.worker);
    if (message.type === 'log') {
      log(message.level, message.message, { ...message.fields, worker: this.#worker.name });
      return true;
    }
    return false;
  }

  /** The run ended: its figures join the totals. */
  ended(): void {
    this.record.ended();
  }

  /**
   * After the run's waiters settled (the state shows `stopped`): its failure,
   * if any, is the last error; the last event carries the final figures.
   */
  settled(error: Error | undefined): void {
    if (error) {
      this.record.failed(error);
      log('error', `worker '${this.#worker.name}' failed: ${error.message}`, { worker: this.#worker.name });
    }
    this.feed.live(false);
  }
}
