import type { KindFields } from '../parent/spec.js';
import { StateError } from '../shared/errors.js';
import type { WorkContext, WorkLoopControl } from '../shared/hooks.js';
import { DEFAULT_IDLE_BACKOFF_MS, producerLoop } from '../shared/loops/producer-loop.js';
import type { ChildControl } from '../shared/protocol.js';
import { checkDuration, checkWhole, invalidOption, optionOwner, type WorkerOptions } from './options.js';
import type { SubscriberQueue } from './ready-queue.js';
import { FRAMEWORK_CLASS, Worker } from './worker.js';
import type { WorkerStatus } from './worker-types.js';

/** A producer's options: `TItem` is what its `work` returns, `TArgs` its `args`. */
export interface ProducerOptions<TItem = unknown, TArgs = unknown> extends WorkerOptions<TArgs> {
  /**
   * Milliseconds between `work` calls, on a drift-free schedule; the first
   * call comes right after onStart. 0 (default): as fast as the subscribers take items.
   */
  workTimeout?: number;
  /**
   * With workTimeout 0, a `work` that returns `undefined` (nothing new) makes
   * the loop back off: it yields, then sleeps 1, 2, 4... ms, up to this many
   * (default 16), and goes back to full speed with the first item. 0 spins
   * instead. A `work` that waits for its input (`async work` awaiting I/O)
   * needs none of this.
   */
  idleBackoffMs?: number;
  /** Queues each produced item goes to (see setSubscribers): queues that take TItem. */
  subscribers?: SubscriberQueue<TItem>[];
  /**
   * How many items it will produce in all, for progress (`pipeline.on('progress')`);
   * a `static total(ctx)` on the class, which the child calls after onStart, replaces it.
   */
  total?: number;
}

/**
 * A worker whose static `work(ctx)` produces items, in its own child process.
 * Each item that `work` returns goes to every subscriber queue once; returning
 * `undefined` means nothing was produced this round. With a lossless
 * subscriber full, the producer waits before its next `work`.
 *
 * In TypeScript, `defineProducer` types the hooks from the class's declared
 * types; in JavaScript, subclass Producer directly.
 *
 * @example
 * ```js
 * export class Counter extends Producer {
 *   static moduleUrl = import.meta.url;
 *   static onStart() { return { next: 0 }; }
 *   static work(ctx) { return ctx.startResult.next++; }
 * }
 * ```
 *
 * @typeParam TItem - what `work` returns: the items (and results)
 * @typeParam TArgs - `args`, as `ctx.args`
 * @typeParam TStart - what onStart returns, as `ctx.startResult`
 * @typeParam TMessage - messages from the main process (`sendMessage`)
 * @typeParam TReply - messages from the child (the 'message' event); defaults to TMessage
 */
export abstract class Producer<TItem = unknown, TArgs = unknown, TStart = unknown, TMessage = unknown, TReply = TMessage> extends Worker<
  TItem,
  TArgs,
  TStart,
  TMessage,
  TReply
> {
  /** Produces one item (or undefined: nothing this round). Runs in the child. Must be overridden. */
  static work(_ctx: WorkContext<any, any, any, any>): unknown {
    throw new Error('Producer.work must be overridden');
  }

  /** @internal */
  static override readonly [FRAMEWORK_CLASS] = true;

  /** The framework's producer loop (see producerLoop). */
  static override workLoop(control: WorkLoopControl): Promise<void> {
    return producerLoop(control);
  }

  #workTimeout: number;
  readonly idleBackoffMs: number;
  /** See ProducerOptions.total. */
  readonly total: number | undefined;
  #paused = false;

  constructor(options: ProducerOptions<TItem, TArgs> = {}) {
    super('producer', options);
    const where = optionOwner('Producer', this.name);
    this.#workTimeout = options.workTimeout === undefined ? 0 : checkDuration(where, 'workTimeout', options.workTimeout);
    this.idleBackoffMs =
      options.idleBackoffMs === undefined ? DEFAULT_IDLE_BACKOFF_MS : checkDuration(where, 'idleBackoffMs', options.idleBackoffMs);
    this.total = options.total === undefined ? undefined : checkWhole(where, 'total', options.total);
    if ((new.target).work === Producer.work) {
      throw invalidOption(where, `class ${new.target.name} must define static work(ctx), which returns each item (or undefined for none)`);
    }
    this.setSubscribers(options.subscribers ?? []);
  }

  /** Milliseconds between `work` calls (0: as fast as the subscribers take items); see setWorkTimeout(). */
  get workTimeout(): number {
    return this.#workTimeout;
  }

  /** Whether `work` is paused (see pause()). */
  get paused(): boolean {
    return this.#paused;
  }

  /** The detailed state; `paused` while running with `work` paused. */
  override get status(): WorkerStatus {
    const status = super.status;
    return status === 'running' && this.#paused ? 'paused' : status;
  }

  /**
   * Changes the period of a running producer: the next `work` call is due
   * `ms` after the last one (or at once if that is past), and the drift-free
   * schedule goes on from there. Later runs keep the new period.
   * @throws StateError when the producer is not starting or running.
   */
  setWorkTimeout(ms: number): void {
    const workTimeout = checkDuration(`Producer '${this.name}'`, 'workTimeout', ms);
    this.#requireRunning('setWorkTimeout()');
    this.#workTimeout = workTimeout;
    this.sendControl({ type: 'steer', workTimeout });
  }

  /**
   * Stops calling `work` without stopping the child (the state stays
   * `started`, `status` is `paused`); the call under way finishes. Messages
   * and `onMessage` go on. Idempotent.
   * @throws StateError when the producer is not starting or running.
   */
  pause(): void {
    this.#requireRunning('pause()');
    if (this.#paused) return;
    this.#paused = true;
    this.sendControl({ type: 'steer', paused: true });
  }

  /**
   * Calls `work` again after pause(): at once, then on the schedule. Idempotent.
   * @throws StateError when the producer is not starting or running.
   */
  resume(): void {
    this.#requireRunning('resume()');
    if (!this.#paused) return;
    this.#paused = false;
    this.sendControl({ type: 'steer', paused: false });
  }

  protected specFields(): KindFields {
    return { workTimeout: this.#workTimeout, maxBufferSize: 1, idleBackoffMs: this.idleBackoffMs, total: this.total };
  }

  protected override onChildControl(message: ChildControl): void {
    if (message.type === 'steered') this.#workTimeout = message.workTimeout;
  }

  protected override onRunEnded(): void {
    this.#paused = false;
  }

  #requireRunning(call: string): void {
    const status = super.status;
    if (status !== 'starting' && status !== 'running') {
      throw new StateError('ERR_WORKER_NOT_RUNNING', `Producer '${this.name}' is not running (${status}): ${call} steers a started producer`);
    }
  }
}
