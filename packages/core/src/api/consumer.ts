import { getHub } from '../parent/hub.js';
import type { HostedQueueBackend } from '../parent/queues/backend.js';
import { EngineBackend } from '../parent/queues/engine-backend.js';
import type { WorkerRun } from '../parent/run.js';
import type { KindFields } from '../parent/spec.js';
import { watchUpstreams } from '../parent/upstream-watch.js';
import type { WorkContext, WorkLoopControl } from '../shared/hooks.js';
import { consumerLoop } from '../shared/loops/consumer-loop.js';
import type { ChildControl } from '../shared/protocol.js';
import { checkBoolean, checkCount, checkDuration, invalidOption, optionOwner, type WorkerOptions } from './options.js';
import { DEFAULT_QUEUE_CAPACITY, ReadyQueue, type SubscriberQueue } from './ready-queue.js';
import { FRAMEWORK_CLASS, Worker } from './worker.js';
import { WORKER_TYPES, type WorkerTypeRecord } from './worker-types.js';

/** A consumer's options: `TArgs` is its `args`, `TResult` what its `work` returns. */
export interface ConsumerOptions<TArgs = unknown, TResult = unknown> extends WorkerOptions<TArgs> {
  /**
   * Milliseconds after the last flush at which buffered items are flushed
   * even if fewer than maxBufferSize (default 5000). It does not delay stops.
   */
  workTimeout?: number;
  /** `work` runs as soon as this many items are buffered (default 1). */
  maxBufferSize?: number;
  /** A lossy queue drops its oldest item when full instead of making writers wait (default false). */
  lossy?: boolean;
  /** Capacity of the consumer's queue (default 10,000). */
  queueSize?: number;
  /**
   * A queue kept by an engine, e.g. `redisQueue(...)` of @prodcon/redis: the
   * consumer hosts that queue (ready while it runs) instead of one of its
   * own, and producers on any host reach it by name. Its capacity and loss
   * policy are the queue's (`queueSize` and `lossy` do not apply).
   */
  queue?: ReadyQueue<any>;
  /** Queues each `work` result goes to: queues that take TResult. */
  subscribers?: SubscriberQueue<TResult>[];
  /**
   * Drain and stop by itself once every worker writing into its queue has
   * ended (stopped after running): the end of a finite stream flows
   * downstream. Default false; true for stages of a pipeline().
   */
  stopWhenUpstreamEnds?: boolean;
}

/** Marks a consumer as a member of a ConsumerPool (its queue acknowledges consumed items). */
export const POOL_MEMBER = Symbol('prodcon.poolMember');

/**
 * A worker whose static `work(items, ctx)` consumes batches of items from its
 * queue, in its own child process. Producers subscribe to
 * `getWorkQueue()`; the main process can put into it too.
 *
 * In TypeScript, `defineConsumer` types the hooks from the class's declared
 * types; in JavaScript, subclass Consumer directly.
 *
 * @example
 * ```js
 * export class Printer extends Consumer {
 *   static moduleUrl = import.meta.url;
 *   static work(items) { return `got ${items.join(', ')}`; }
 * }
 * ```
 *
 * @typeParam TItem - the items it consumes (its queue's type)
 * @typeParam TResult - what `work` returns: the results
 * @typeParam TArgs - `args`, as `ctx.args`
 * @typeParam TStart - what onStart returns, as `ctx.startResult`
 * @typeParam TMessage - messages from the main process (`sendMessage`)
 * @typeParam TReply - messages from the child (the 'message' event); defaults to TMessage
 */
export abstract class Consumer<TItem = unknown, TResult = unknown, TArgs = unknown, TStart = unknown, TMessage = unknown, TReply = TMessage>
  extends Worker<TResult, TArgs, TStart, TMessage, TReply> {
  /** Type level only (never set): see Worker. */
  declare readonly [WORKER_TYPES]?: WorkerTypeRecord<TItem, TResult, TArgs, TStart, TMessage, TReply>;

  /** Consumes one batch; what it returns (unless undefined) is a result. Runs in the child. Must be overridden. */
  static work(_items: any[], _ctx: WorkContext<any, any, any, any>): unknown {
    throw new Error('Consumer.work must be overridden');
  }

  /** @internal */
  static override readonly [FRAMEWORK_CLASS] = true;

  /** The framework's consumer loop (see consumerLoop). */
  static override workLoop(control: WorkLoopControl): Promise<void> {
    return consumerLoop(control);
  }

  readonly workTimeout: number;
  readonly maxBufferSize: number;
  /** See ConsumerOptions.stopWhenUpstreamEnds (settable until start). */
  stopWhenUpstreamEnds: boolean;
  #queue: ReadyQueue<TItem>;
  #poolMember: boolean;
  #hosted: HostedQueueBackend;
  #unwatchUpstreams: (() => void) | undefined;

  constructor(options: ConsumerOptions<TArgs, TResult> = {}) {
    super('consumer', options);
    const where = optionOwner('Consumer', this.name);
    this.workTimeout = options.workTimeout === undefined ? 5000 : checkDuration(where, 'workTimeout', options.workTimeout);
    this.maxBufferSize = options.maxBufferSize === undefined ? 1 : checkCount(where, 'maxBufferSize', options.maxBufferSize);
    const queueSize = options.queueSize === undefined ? DEFAULT_QUEUE_CAPACITY : checkCount(where, 'queueSize', options.queueSize);
    const lossy = options.lossy === undefined ? false : checkBoolean(where, 'lossy', options.lossy);
    if ((new.target).work === Consumer.work) {
      throw invalidOption(where, `class ${new.target.name} must define static work(items, ctx), which consumes a batch of items`);
    }
    this.stopWhenUpstreamEnds =
      options.stopWhenUpstreamEnds === undefined ? false : checkBoolean(where, 'stopWhenUpstreamEnds', options.stopWhenUpstreamEnds);
    this.#poolMember = (options as { [POOL_MEMBER]?: boolean })[POOL_MEMBER] === true;
    if (options.queue !== undefined) {
      if (!(options.queue instanceof ReadyQueue) || !(options.queue.backend instanceof EngineBackend)) {
        throw invalidOption(where, 'option "queue" must be an engine queue (e.g. redisQueue(...) of @prodcon/redis)');
      }
      this.#queue = options.queue as ReadyQueue<TItem>;
      this.#hosted = options.queue.backend.host(this.name);
    } else {
      this.#queue = ReadyQueue.forWorker<TItem>(this.name, queueSize, lossy);
      this.#hosted = this.#queue.backend as unknown as HostedQueueBackend;
    }
    this.setSubscribers(options.subscribers ?? []);
  }

  /** The queue this consumer consumes: subscribe producers to it, or put into it. Ready while the consumer runs. */
  getWorkQueue(): ReadyQueue<TItem> {
    return this.#queue;
  }

  /**
   * Consumes everything queued, then stops: the queue refuses new items,
   * writers flush what they hold, every item is worked, onStop runs, the
   * child exits. Resolves then (at once on a stopped consumer).
   * @throws WorkerError when the consumer fails while draining.
   */
  stopAtQueueEnd(): Promise<void> {
    return this.drain();
  }

  protected specFields(): KindFields {
    return {
      workTimeout: this.workTimeout,
      maxBufferSize: this.maxBufferSize,
      idleBackoffMs: 0,
      queue: {
        queueId: this.#queue.id,
        capacity: this.#queue.capacity,
        lossy: this.#queue.lossy,
        address: this.#queue.backend.engine ? '' : getHub().newSocketPath('queue'),
        ready: true,
        acknowledge: this.#poolMember,
        engine: this.#queue.backend.engine,
      },
    };
  }

  protected override onStartRequested(): void {
    this.#hosted.startRequested();
    if (this.stopWhenUpstreamEnds) {
      this.#unwatchUpstreams?.();
      this.#unwatchUpstreams = watchUpstreams(this.#queue, () => {
        this.stopAtQueueEnd().catch(() => {}); // a failure is reported through the usual channels
      });
    }
  }

  protected override onLaunch(run: WorkerRun): void {
    this.#hosted.starting(
      {
        setReady: (ready) => run.send({ type: 'queueReady', ready }),
        clear: () => run.send({ type: 'clearQueue' }),
      },
      run.spec.codec,
    );
  }

  protected override onChildControl(message: ChildControl): void {
    if (message.type === 'hosting' && message.queueId === this.#queue.id) this.#hosted.hosting(message.address);
  }

  protected override onDrainRequested(): void {
    this.#hosted.draining();
  }

  protected override onRunEnded(): void {
    this.#hosted.stopped();
    this.#unwatchUpstreams?.();
    this.#unwatchUpstreams = undefined;
  }

  protected override routeQueueStats(reporter: string, message: Extract<ChildControl, { type: 'queueStats' }>): void {
    super.routeQueueStats(reporter, message);
    for (const stats of message.stats) if (stats.queueId === this.#queue.id) this.#queue.report(reporter, stats);
  }
}
