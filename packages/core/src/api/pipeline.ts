import { EventEmitter } from 'node:events';
import { mergeResults } from '../parent/merge-results.js';
import { MetricsFeed } from '../parent/metrics-feed.js';
import { pipelineProgress } from '../parent/pool-metrics.js';
import { ProgressWatch } from '../parent/progress-watch.js';
import { register } from '../parent/registry.js';
import type { PipelineMetrics, PipelineProgress } from '../shared/metrics-types.js';
import { describe } from '../shared/describe.js';
import { ConfigError, isNews } from '../shared/errors.js';
import { Consumer } from './consumer.js';
import { ConsumerPool } from './consumer-pool.js';
import type { ChainedStages, LastStage, Stage, StageOutput, StageTaking, StageUnit } from './stages.js';
import { Worker } from './worker.js';

/** Options of a Pipeline (`new Pipeline(stages, options)`, `convert(producer, consumers, options)`). */
export interface PipelineOptions {
  /** Emit a 'metrics' event every this many ms while it runs (default: off; a 'metrics' listener turns it on, every 1000 ms). */
  metricsInterval?: number;
  /** Called with each change of progress (as the 'progress' event). */
  onProgress?: (progress: PipelineProgress) => void;
}

/** A pipeline's events. */
export interface PipelineEvents {
  /** How far it got, at each change (at most four times a second, and once when it finished) while a listener is attached. */
  progress: [progress: PipelineProgress];
  /** A snapshot of every stage's metrics, every `metricsInterval` ms while a listener is attached. */
  metrics: [snapshot: PipelineMetrics];
  /** EventEmitter's own: a listener is being added. */
  newListener: [event: string | symbol, listener: (...args: any[]) => void];
  /** EventEmitter's own: a listener was removed. */
  removeListener: [event: string | symbol, listener: (...args: any[]) => void];
}

/**
 * Stages wired in a row: every unit of a stage writes into the queues of all
 * units of the next stage. Every stage runs in its own processes; items go
 * from child to child. Created by `pipeline(...stages)`.
 *
 * @typeParam TResult - what the last stage's workers return (the items of `items()`)
 */
export class Pipeline<TResult = unknown> extends EventEmitter<PipelineEvents> {
  readonly stages: StageUnit[][];
  /**
   * Resolves when every stage finished (the first stage ended, the end
   * flowed down, every stage drained); rejects with the first error, once
   * everything else was stopped.
   */
  readonly done: Promise<void>;
  #resolveDone!: () => void;
  #rejectDone!: (error: Error) => void;
  #error: Error | undefined;
  #started: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #settled = false;
  #feed: MetricsFeed;
  #progress: ProgressWatch;

  constructor(stages: readonly Stage[], options: PipelineOptions = {}) {
    super();
    if (stages.length === 0) throw new ConfigError('ERR_INVALID_OPTION', 'pipeline() needs at least one stage');
    this.stages = stages.map((stage, index) => {
      const units: readonly StageUnit[] = Array.isArray(stage) ? stage : [stage as StageUnit];
      if (units.length === 0) throw new ConfigError('ERR_INVALID_OPTION', `pipeline(): stage ${index + 1} is empty`);
      for (const unit of units) {
        if (!(unit instanceof Worker) && !(unit instanceof ConsumerPool)) {
          throw new ConfigError('ERR_INVALID_OPTION', `pipeline(): stage ${index + 1} must be a worker, a pool or an array of them, got ${describe(unit)}`);
        }
        if (index > 0 && !(unit instanceof Consumer) && !(unit instanceof ConsumerPool)) {
          throw new ConfigError('ERR_INVALID_OPTION', `pipeline(): stage ${index + 1} must consume (a Consumer or a ConsumerPool): only the first stage can be a Producer`);
        }
      }
      return [...units];
    });
    this.done = new Promise((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    this.done.catch(() => {}); // observed through `done` by the caller; never an unhandled rejection by itself
    this.#wire();
    this.#feed = new MetricsFeed({
      interval: options.metricsInterval,
      listeners: () => this.listenerCount('metrics'),
      emit: () => this.emit('metrics', this.metrics()),
    });
    this.#feed.followListeners(this);
    this.#progress = new ProgressWatch(() => this.progress(), (progress) => this.emit('progress', progress));
    this.#progress.followListeners(this);
    if (options.onProgress) this.on('progress', options.onProgress);
    register('pipeline', this);
    // News (an engine queue reset, a host lost) is no failure: the stages go on, and their own listeners hear it.
    for (const unit of this.stages.flat()) {
      unit.on('error', (error: Error) => {
        if (!isNews(error)) this.#fail(error);
      });
    }
  }

  /**
   * Starts every stage, the last one first (so that each queue is ready
   * before anything writes to it). A stop() that comes meanwhile wins: the
   * stages not started yet are not started.
   */
  start(): Promise<void> {
    this.#started ??= (async () => {
      this.#feed.live(true);
      this.#progress.live(true);
      for (const stage of [...this.stages].reverse()) {
        if (this.#stopping) return;
        await Promise.all(stage.map((unit) => unit.start()));
      }
      void this.#watchCompletion();
    })().catch((error: Error) => {
      this.#fail(error);
      throw error;
    });
    return this.#started;
  }

  /**
   * The last stage's results, in the main process, as they come; the
   * iteration ends when the stream ends (every stage finished) and throws the
   * pipeline's error. Starts the pipeline if it was not started: call it
   * before start() to miss nothing.
   */
  async *items(): AsyncGenerator<TResult> {
    // Start first (its synchronous part marks the workers as starting), so that the result
    // iterators below wait for the run instead of ending at once on a stopped worker.
    const starting = this.start().catch(() => {});
    const last = this.stages.at(-1)!;
    const streams = last.map((unit) => (unit instanceof ConsumerPool ? unit.resultStream() : unit.results()));
    const merged = mergeResults(streams as AsyncIterable<TResult>[]);
    void starting;
    try {
      for await (const item of merged) yield item;
    } catch (error) {
      throw this.#error ?? error;
    }
    await this.done;
  }

  /**
   * Stops in order: the first stage stops (its current work finishes), then
   * each following stage drains what it received and stops.
   */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const [index, stage] of this.stages.entries()) {
        await Promise.all(stage.map((unit) => (index === 0 ? stopUnit(unit) : drainUnit(unit))));
      }
      await this.#started?.catch(() => {});
      // Stopped before every stage ran (or before it started at all): `done` settles all the same.
      this.#settle();
    })();
    return this.#stopping;
  }

  /** A snapshot of every stage's units (WorkerMetrics or PoolMetrics), and the progress. */
  metrics(): PipelineMetrics {
    const stages = this.stages.map((stage) => stage.map((unit) => unit.metrics()));
    return { stages, progress: pipelineProgress(stages, this.#settled) };
  }

  /**
   * How far it got: the items each stage finished, the total the source
   * declared (`static total(ctx)` or the producer's `total` option), and the
   * fraction done. Exact once it finished.
   */
  progress(): PipelineProgress {
    return this.metrics().progress;
  }

  /** `await using p = pipeline(...)`: stops it at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #wire(): void {
    for (let index = 0; index < this.stages.length - 1; index++) {
      // Stages after the first consume (checked in the constructor).
      const downstream = this.stages[index + 1] as Array<Consumer<any, any, any> | ConsumerPool<any, any, any>>;
      const queues = downstream.map((unit) => unit.getWorkQueue());
      for (const unit of this.stages[index]) {
        for (const writer of unit instanceof ConsumerPool ? unit.members : [unit]) {
          writer.setSubscribers([...writer.getSubscribers().filter((queue) => !queues.includes(queue)), ...queues]);
        }
      }
      // The end of the stream flows down: a stage drains and stops once all of its upstream ended.
      for (const unit of downstream) unit.stopWhenUpstreamEnds = true;
    }
  }

  async #watchCompletion(): Promise<void> {
    await Promise.all(this.stages.flat().map((unit) => whenFinished(unit)));
    this.#settle();
  }

  /** Resolves `done`, or rejects it with the first error (once). */
  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#ended();
    if (this.#error) this.#rejectDone(this.#error);
    else this.#resolveDone();
  }

  /** The last 'progress' and 'metrics' events, with the final figures. */
  #ended(): void {
    this.#progress.live(false);
    this.#feed.live(false);
  }

  /** The first error wins: stop everything else, then reject `done` with it. */
  #fail(error: Error): void {
    if (this.#error) return;
    this.#error = error;
    void (async () => {
      await Promise.all(this.stages.flat().map((unit) => stopUnit(unit)));
      if (this.#settled) return;
      this.#settled = true;
      this.#ended();
      this.#rejectDone(error);
    })();
  }
}

/**
 * Wires `stages` into a Pipeline (see Pipeline). Each stage after the first
 * must take what the one before puts out (checked by the type checker); the
 * pipeline's items are what the last stage returns.
 *
 * @example
 * ```ts
 * const flow = pipeline(new Source(), new ConsumerPool(Parser, { size: 2 }), new Aggregator());
 * for await (const total of flow.items()) console.log(total);
 * await flow.done;
 * ```
 */
export function pipeline<S extends [Stage, ...Stage[]]>(...stages: S & ChainedStages<S>): Pipeline<StageOutput<LastStage<S>>> {
  return new Pipeline(stages);
}

/**
 * proconex's Converter: runs `producer` into `consumers` and yields what the
 * consumers return, as it comes, until the producer's stream ends. Pass
 * `onProgress` to follow how far it got (see Pipeline.progress()).
 *
 * @example
 * ```ts
 * for await (const square of convert(new Numbers({ args: { count: 5 } }), new Squarer())) console.log(square);
 * ```
 */
export function convert<P extends Stage, C extends Stage & StageTaking<StageOutput<P>>>(
  producer: P,
  consumers: C,
  options: PipelineOptions = {},
): AsyncGenerator<StageOutput<C>> {
  return new Pipeline<StageOutput<C>>([producer, consumers], options).items();
}

async function stopUnit(unit: StageUnit): Promise<void> {
  await unit.stop().catch(() => {});
}

async function drainUnit(unit: StageUnit): Promise<void> {
  // A pool that never started is closed, not joined (join() would start it to let each member run once).
  if (unit instanceof ConsumerPool) await (unit.getState() === 'idle' ? Promise.resolve(unit.close()) : unit.join().catch(() => {}));
  else await (unit as Consumer).stopAtQueueEnd().catch(() => {});
}

/** Resolves once the unit has run and stopped. */
function whenFinished(unit: StageUnit): Promise<void> {
  if (unit instanceof ConsumerPool) {
    return new Promise((resolve) => {
      const check = (state: string) => {
        if (state === 'stopped' || state === 'failed') {
          unit.off('state', check);
          resolve();
        }
      };
      if (unit.getState() === 'stopped' || unit.getState() === 'failed') resolve();
      else unit.on('state', check);
    });
  }
  return new Promise((resolve) => {
    if (unit.getState() === 'stopped' && unit.finishedRuns > 0) return resolve();
    const check = (state: string) => {
      if (state === 'stopped') {
        unit.off('state', check);
        resolve();
      }
    };
    unit.on('state', check);
  });
}
