import { EventEmitter } from 'node:events';
import { mergeResults } from '../parent/merge-results.js';
import { MetricsFeed } from '../parent/metrics-feed.js';
import { pipelineProgress } from '../parent/pool-metrics.js';
import { ProgressWatch } from '../parent/progress-watch.js';
import { callUser, raise, reportRejection, tell } from '../parent/raise.js';
import { register } from '../parent/registry.js';
import type { PipelineMetrics, PipelineProgress } from '../shared/metrics-types.js';
import { describe } from '../shared/describe.js';
import { CallbackError, ConfigError, isNews } from '../shared/errors.js';
import { Consumer } from './consumer.js';
import { ConsumerPool } from './consumer-pool.js';
import { checkBoolean } from './options.js';
import { stopAfterFailure, drainUnit, stopUnit, whenFinished } from './stage-control.js';
import type { Stage, StageUnit } from './stages.js';
import { Worker } from './worker.js';

/** Options of a Pipeline (`new Pipeline(stages, options)`, `convert(producer, consumers, options)`). */
export interface PipelineOptions {
  /** Emit a 'metrics' event every this many ms while it runs (default: off; a 'metrics' listener turns it on, every 1000 ms). */
  metricsInterval?: number;
  /** Called with each change of progress (as the 'progress' event). */
  onProgress?: (progress: PipelineProgress) => void;
  /**
   * When a stage fails, stop every stage at once: what their queues hold is
   * dropped (counted, cause `stopped`). Default false: the stages upstream of
   * the failure stop, and those downstream drain what their queues accepted
   * before `done` rejects.
   */
  failFast?: boolean;
}

/** A pipeline's events. */
export interface PipelineEvents {
  /** How far it got, at each change (at most four times a second, and once when it finished) while a listener is attached. */
  progress: [progress: PipelineProgress];
  /** A snapshot of every stage's metrics, every `metricsInterval` ms while a listener is attached. */
  metrics: [snapshot: PipelineMetrics];
  /**
   * A main-process callback failed (a CallbackError): a listener of the
   * pipeline's, or a stage's `onResult`/listener that nobody else listens to
   * the errors of. Not a failure: the pipeline goes on.
   */
  error: [error: Error];
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
  /** The stages' names, as in `Source → [Parse, Check] → Sink`: how its errors name it. */
  readonly name: string;
  /**
   * Resolves when every stage finished (the first stage ended, the end
   * flowed down, every stage drained); rejects with the first error, once
   * every stage stopped (by default those downstream of the failure drained
   * first: see `failFast`).
   */
  readonly done: Promise<void>;
  #errors: Error[] = [];
  #failFast: boolean;
  #resolveDone!: () => void;
  #rejectDone!: (error: Error) => void;
  #error: Error | undefined;
  #started: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #settled = false;
  #feed: MetricsFeed;
  #progress: ProgressWatch;

  constructor(stages: readonly Stage[], options: PipelineOptions = {}) {
    super({ captureRejections: true }); // an async listener that rejects is reported (see the rejection handler)
    this.#failFast = options.failFast === undefined ? false : checkBoolean('pipeline()', 'failFast', options.failFast);
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
    this.name = this.stages.map((stage) => (stage.length === 1 ? stage[0].name : `[${stage.map((unit) => unit.name).join(', ')}]`)).join(' → ');
    this.done = new Promise((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    this.done.catch(() => {}); // observed through `done` by the caller; never an unhandled rejection by itself
    this.#wire();
    this.#feed = new MetricsFeed({
      interval: options.metricsInterval,
      listeners: () => this.listenerCount('metrics'),
      emit: () => callUser(this, this.#owner, "'metrics' listener", () => this.emit('metrics', this.metrics())),
    });
    this.#feed.followListeners(this);
    this.#progress = new ProgressWatch(
      () => this.progress(),
      (progress) => callUser(this, this.#owner, "'progress' listener", () => this.emit('progress', progress)),
    );
    this.#progress.followListeners(this);
    if (options.onProgress) this.on('progress', options.onProgress);
    register('pipeline', this);
    for (const [index, stage] of this.stages.entries()) {
      for (const unit of stage) unit.on('error', (error: Error) => this.#onUnitError(unit, index, error));
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
      this.#fail(error, undefined); // a start failed: nothing flowed yet, everything stops
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

  /** Every failure of its stages, in order (the first is what `done` rejects with). */
  get errors(): readonly Error[] {
    return this.#errors;
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

  #onUnitError(unit: StageUnit, stage: number, error: Error): void {
    // News (an engine queue reset, a host lost) is no failure: the stages go on, and their own listeners hear it.
    if (isNews(error)) return;
    if (error instanceof CallbackError) {
      // The stage goes on. Whoever listens to the stage heard it; else the pipeline's listeners must (thrown without any).
      if (unit.listenerCount('error') > 1) tell(this, error);
      else raise(this, error);
      return;
    }
    this.#fail(error, stage);
  }

  /**
   * A stage failed (`stage`: which one, if known). Every error is listed; the
   * first stops the pipeline (see stopAfterFailure: the stages downstream
   * drain, unless failFast) and rejects `done` once every stage stopped.
   */
  #fail(error: Error, stage: number | undefined): void {
    if (!this.#errors.includes(error)) this.#errors.push(error);
    if (this.#error) return;
    this.#error = error;
    // A stop() under way already stops upstream and drains downstream in order; it settles `done` with the error.
    if (this.#stopping && !this.#failFast) return;
    void (async () => {
      await stopAfterFailure(this.stages, stage, this.#failFast);
      if (this.#settled) return;
      this.#settled = true;
      this.#ended();
      this.#rejectDone(error);
    })();
  }

  /** Who this pipeline's callbacks belong to, as a CallbackError names it. */
  get #owner(): { kind: string; name: string } {
    return { kind: 'Pipeline', name: this.name };
  }

  /** EventEmitter's captureRejections: an async listener rejected. */
  override [EventEmitter.captureRejectionSymbol](error: Error, event: unknown, ..._args: any[]): void {
    reportRejection(this, this.#owner, error, event);
  }
}
