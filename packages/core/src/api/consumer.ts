import { getHub } from '../parent/hub.js';
import type { HostedQueueBackend } from '../parent/queues/backend.js';
import { EngineBackend } from '../parent/queues/engine-backend.js';
import type { WorkerRun } from '../parent/run.js';
import { watchUpstreams } from '../parent/upstream-watch.js';
import { ConfigError } from '../shared/errors.js';
import type { WorkContext, WorkLoopControl } from '../shared/hooks.js';
import { consumerLoop } from '../shared/loops/consumer-loop.js';
import type { ChildControl, WorkerSpec } from '../shared/protocol.js';
import { checkBoolean, checkCount, checkDuration, type WorkerOptions } from './options.js';
import { DEFAULT_QUEUE_CAPACITY, ReadyQueue } from './ready-queue.js';
import { FRAMEWORK_CLASS, Worker } from './worker.js';

export interface ConsumerOptions<TArgs> extends WorkerOptions<TArgs> {
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
  queue?: ReadyQueue;
  /** Queues each `work` result goes to. */
  subscribers?: ReadyQueue[];
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
 * ```ts
 * export class Printer extends Consumer<number, string> {
 *   static moduleUrl = import.meta.url;
 *   static work(items) { return `got ${items.join(', ')}`; }
 * }
 * ```
 */
export abstract class Consumer<TItem = unknown, TResult = unknown, TArgs = unknown, TStart = unknown> extends Worker<
  TResult,
  TArgs,
  TStart
> {
  /** Consumes one batch; what it returns (unless undefined) is a result. Runs in the child. Must be overridden. */
  static work(_items: any[], _ctx: WorkContext<any, any>): unknown {
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

  constructor(options: ConsumerOptions<TArgs> = {}) {
    super('consumer', options);
    const where = `Consumer '${this.name}'`;
    this.workTimeout = options.workTimeout === undefined ? 5000 : checkDuration(where, 'workTimeout', options.workTimeout);
    this.maxBufferSize = options.maxBufferSize === undefined ? 1 : checkCount(where, 'maxBufferSize', options.maxBufferSize);
    const queueSize = options.queueSize === undefined ? DEFAULT_QUEUE_CAPACITY : checkCount(where, 'queueSize', options.queueSize);
    const lossy = options.lossy === undefined ? false : checkBoolean(where, 'lossy', options.lossy);
    if ((new.target).work === Consumer.work) {
      throw new ConfigError(
        'ERR_INVALID_OPTION',
        `${where}: class ${new.target.name} must define static work(items, ctx), which consumes a batch of items`,
      );
    }
    this.stopWhenUpstreamEnds =
      options.stopWhenUpstreamEnds === undefined ? false : checkBoolean(where, 'stopWhenUpstreamEnds', options.stopWhenUpstreamEnds);
    this.#poolMember = (options as { [POOL_MEMBER]?: boolean })[POOL_MEMBER] === true;
    if (options.queue !== undefined) {
      if (!(options.queue instanceof ReadyQueue) || !(options.queue.backend instanceof EngineBackend)) {
        throw new ConfigError('ERR_INVALID_OPTION', `${where}: option "queue" must be an engine queue (e.g. redisQueue(...) of @prodcon/redis)`);
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

  protected specFields(): Pick<WorkerSpec, 'workTimeout' | 'maxBufferSize' | 'queue'> {
    return {
      workTimeout: this.workTimeout,
      maxBufferSize: this.maxBufferSize,
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
