import type { WorkContext, WorkLoopControl } from '../shared/hooks.js';
import { producerLoop } from '../shared/loops/producer-loop.js';
import type { WorkerSpec } from '../shared/protocol.js';
import { checkDuration, invalidOption, optionOwner, type WorkerOptions } from './options.js';
import type { SubscriberQueue } from './ready-queue.js';
import { FRAMEWORK_CLASS, Worker } from './worker.js';

/** A producer's options: `TItem` is what its `work` returns, `TArgs` its `args`. */
export interface ProducerOptions<TItem = unknown, TArgs = unknown> extends WorkerOptions<TArgs> {
  /**
   * Milliseconds between `work` calls, on a drift-free schedule; the first
   * call comes right after onStart. 0 (default): as fast as the subscribers take items.
   */
  workTimeout?: number;
  /** Queues each produced item goes to (see setSubscribers): queues that take TItem. */
  subscribers?: SubscriberQueue<TItem>[];
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

  readonly workTimeout: number;

  constructor(options: ProducerOptions<TItem, TArgs> = {}) {
    super('producer', options);
    const where = optionOwner('Producer', this.name);
    this.workTimeout = options.workTimeout === undefined ? 0 : checkDuration(where, 'workTimeout', options.workTimeout);
    if ((new.target).work === Producer.work) {
      throw invalidOption(where, `class ${new.target.name} must define static work(ctx), which returns each item (or undefined for none)`);
    }
    this.setSubscribers(options.subscribers ?? []);
  }

  protected specFields(): Pick<WorkerSpec, 'workTimeout' | 'maxBufferSize' | 'queue'> {
    return { workTimeout: this.workTimeout, maxBufferSize: 1 };
  }
}
