import type { QueueSource } from '@prodcon/ipc';
import type { WorkerPhase } from '../shared/errors.js';
import type { WorkContext, WorkLoopControl } from '../shared/hooks.js';
import type { WorkerSpec, WorkerState } from '../shared/protocol.js';
import type { ChildLink } from './link.js';
import type { WorkerClassShape } from './load-module.js';
import { ChildMetrics } from './metrics.js';
import type { RunState } from './run-state.js';
import type { SubscriberSet } from './subscribers.js';

/** A hook threw: carries the phase it threw in. */
export class HookFailure extends Error {
  readonly phase: WorkerPhase;
  readonly error: unknown;
  /** The batch being worked, for a consumer. */
  readonly batch: unknown[] | undefined;

  constructor(phase: WorkerPhase, error: unknown, batch?: unknown[]) {
    super(`${phase} failed`);
    this.phase = phase;
    this.error = error;
    this.batch = batch;
  }
}

/** Results waiting to be written beyond this make the loop wait (the main process reads too slowly). */
const RESULTS_HIGH_WATER = 10_000;

/**
 * What a worker's `workLoop` drives in the child: the hooks (each failure
 * tagged with its phase), the subscribers, the result channel, the queue.
 */
export class LoopControl implements WorkLoopControl {
  readonly ctx: WorkContext;
  /** The consumer's queue, once hosted (undefined in a producer). */
  queue: QueueSource | undefined;
  buffered = 0;
  /** Whether the main process listens for results (it says so as listeners come and go). */
  wantResults: boolean;
  /** onStart returned: onStop is due at the end, whatever happens. */
  onStartDone = false;
  /** Called once onStart returned (messages may go to the onMessage hook from then on). */
  onStarted: (() => void) | undefined;
  /** What this worker counts (plain integers on the hot paths; see ChildMetrics). */
  readonly metrics: ChildMetrics;
  #spec: WorkerSpec;
  #runState: RunState;
  #subscribers: SubscriberSet;
  #link: ChildLink;
  #workerClass: WorkerClassShape | undefined;
  #workTimeout: number;
  #paused = false;

  constructor(spec: WorkerSpec, ctx: WorkContext, runState: RunState, subscribers: SubscriberSet, link: ChildLink) {
    this.#spec = spec;
    this.ctx = ctx;
    this.#runState = runState;
    this.#subscribers = subscribers;
    this.#link = link;
    this.wantResults = spec.wantResults;
    this.#workTimeout = spec.workTimeout;
    this.metrics = new ChildMetrics(spec.metrics === true, spec.total);
  }

  /** The worker's class, once its module loaded. */
  set workerClass(workerClass: WorkerClassShape) {
    this.#workerClass = workerClass;
  }

  get state(): WorkerState {
    return this.#runState.current;
  }

  get workTimeout(): number {
    return this.#workTimeout;
  }

  /** Changes the period (ms) from the next call on; wakes a loop sleeping for the old one. */
  setWorkTimeout(ms: number): void {
    this.#workTimeout = ms;
    this.#runState.changed();
  }

  get paused(): boolean {
    return this.#paused;
  }

  set paused(paused: boolean) {
    if (paused === this.#paused) return;
    this.#paused = paused;
    this.#runState.changed();
  }

  /** Every subscriber refused the last item published (see SubscriberSet.refusing). */
  get refused(): boolean {
    return this.#subscribers.refusing;
  }

  get idleBackoffMs(): number {
    return this.#spec.idleBackoffMs;
  }

  get maxBufferSize(): number {
    return this.#spec.maxBufferSize;
  }

  async runOnStart(): Promise<void> {
    try {
      this.ctx.startResult = await this.#workerClass!.onStart(this.ctx);
      const workerClass = this.#workerClass!;
      if (typeof workerClass.total === 'function') this.metrics.total = Number(await workerClass.total(this.ctx));
    } catch (error) {
      throw new HookFailure('onStart', error);
    }
    this.onStartDone = true;
    this.onStarted?.();
    if (!this.#link.closed) this.#link.send({ type: 'started' });
  }

  runWork(items?: unknown[]): unknown {
    const workerClass = this.#workerClass!;
    const metrics = this.metrics;
    metrics.workCalls++;
    if (items !== undefined) metrics.consumed += items.length;
    // The clock is read only while metrics are on, and flat out only for a sample of the calls
    // (see ChildMetrics.timingMask): two reads cost as much as a small work call.
    const started = metrics.on && (metrics.workCalls & metrics.timingMask) === 0 ? performance.now() : -1;
    let outcome: unknown;
    try {
      outcome = items === undefined ? workerClass.work(this.ctx) : workerClass.work(items, this.ctx);
    } catch (error) {
      metrics.workErrors++;
      if (started >= 0) metrics.recordDuration(started);
      throw new HookFailure('work', error, items);
    }
    if (isPromiseLike(outcome)) {
      return Promise.resolve(outcome).then(
        (value) => {
          if (started >= 0) metrics.recordDuration(started);
          return value;
        },
        (error: unknown) => {
          metrics.workErrors++;
          if (started >= 0) metrics.recordDuration(started);
          throw new HookFailure('work', error, items);
        },
      );
    }
    if (started >= 0) metrics.recordDuration(started);
    return outcome;
  }

  publish(item: unknown): void | Promise<void> {
    const metrics = this.metrics;
    metrics.produced++;
    if (this.#subscribers.size > 0) metrics.forwarded++;
    try {
      const pending = this.#subscribers.publish(item, this.#runState.signal);
      if (pending) return this.#timeWait(pending).catch((error: unknown) => Promise.reject(new HookFailure('work', error)));
    } catch (error) {
      throw new HookFailure('work', error);
    }
  }

  reportResult(result: unknown): void | Promise<void> {
    if (!this.wantResults || result === undefined) return;
    const outbox = this.#link.results;
    try {
      outbox.push(result);
    } catch (error) {
      throw new HookFailure('work', error);
    }
    // Back-pressure from the main process: do not run ahead of what it can read.
    if (outbox.pending > RESULTS_HIGH_WATER) return outbox.idle();
  }

  flushSubscribers(): void {
    this.#subscribers.flush();
  }

  whenSubscribersWritable(): void | Promise<void> {
    const blocked = this.#subscribers.whenWritable(this.#runState.signal);
    if (blocked) return this.#timeWait(blocked);
  }

  /** Back-pressure: how long the loop waited for room in a lossless subscriber (the slow path only). */
  async #timeWait(waiting: Promise<void>): Promise<void> {
    const started = performance.now();
    this.metrics.waits++;
    try {
      await waiting;
    } finally {
      this.metrics.waitedMs += performance.now() - started;
    }
  }

  acknowledge(count: number): void {
    this.queue?.acknowledge(count);
  }

  whenStateChanges(): Promise<void> {
    return this.#runState.whenChanged();
  }

  onStateChange(listener: () => void): () => void {
    return this.#runState.onChange(listener);
  }

  /** Runs onStop (once onStart succeeded) and sends what it returned. */
  async runOnStop(): Promise<void> {
    let result: unknown;
    try {
      result = await this.#workerClass!.onStop(this.ctx);
    } catch (error) {
      throw new HookFailure('onStop', error);
    }
    if (result === undefined) return;
    try {
      await this.#link.sendFinal(result, this.#spec.codec);
    } catch (error) {
      throw new HookFailure('onStop', error);
    }
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
