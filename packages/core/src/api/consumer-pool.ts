import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { defaultWorkerName } from '../parent/child-class.js';
import { memberFailed } from '../parent/failures.js';
import { mergeResults } from '../parent/merge-results.js';
import { MetricsFeed } from '../parent/metrics-feed.js';
import { poolMetrics } from '../parent/pool-metrics.js';
import { log } from '../shared/logger.js';
import type { PoolMetrics } from '../shared/metrics-types.js';
import { EngineBackend } from '../parent/queues/engine-backend.js';
import { PoolBackend } from '../parent/queues/pool-backend.js';
import { callUser, raise, reportRejection, tell } from '../parent/raise.js';
import { register } from '../parent/registry.js';
import { watchUpstreams } from '../parent/upstream-watch.js';
import { describe } from '../shared/describe.js';
import { CallbackError, ConfigError, ProdconError, isNews } from '../shared/errors.js';
import { POOL_MEMBER, type Consumer, type ConsumerOptions } from './consumer.js';
import type { ConsumerPoolOptions, PoolEvents, PoolMemberClass, PoolState } from './pool-types.js';
import { checkCount, checkDuration, invalidOption, optionOwner } from './options.js';
import { QUEUE_BACKEND, ReadyQueue, type OwnedQueueOptions } from './ready-queue.js';

/**
 * The batch of a pool's members whose options set neither `maxBufferSize` nor
 * `workTimeout` (with `workTimeout` 0): items put in bulk then cost a `work`
 * call per batch, not per item (measured: about a third of the tuned throughput with a
 * single Consumer's defaults, 1 item per call), and none waits for a timer.
 */
const POOL_BATCH = 1000;

/** Misuse of a pool: put after close, results before join... */
export class PoolError extends ProdconError {}

/**
 * Competing consumers: `size` child processes of one Consumer class sharing
 * one work queue. Each item goes to exactly one member, the one with the most
 * room (credit-based dispatch: a member twice as slow gets about half the
 * items). Members acknowledge items once consumed; if one dies, what it had
 * not finished goes to the others (at-least-once).
 *
 * The lifecycle follows Python's `consumers`: put(), close() (refuse new
 * items, drain in the background), join() (drained and stopped: each member's
 * onStop result in `results`), terminate() (kill now). All idempotent.
 *
 * Its type parameters are its members' (Consumer's, in the same order) plus
 * `TStop`, what their onStop returns; all are inferred from the class.
 *
 * @example
 * ```ts
 * const pool = new ConsumerPool(Printer, { size: 4, maxBufferSize: 100 });
 * pool.on('result', (line) => console.log(line));
 * await pool.put(1, 2, 3);
 * const totals = await pool.join(); // what each member's onStop returned
 * ```
 */
export class ConsumerPool<TItem = unknown, TResult = unknown, TArgs = unknown, TStart = unknown, TMessage = unknown, TReply = TMessage, TStop = unknown>
  extends EventEmitter<PoolEvents<TResult, TReply>> {
  readonly name: string;
  readonly size: number;
  readonly members: Consumer<TItem, TResult, TArgs, TStart, TMessage, TReply>[];
  /** See ConsumerOptions.stopWhenUpstreamEnds: close by itself once every upstream worker ended. */
  stopWhenUpstreamEnds: boolean;
  #queue: ReadyQueue<TItem>;
  /** Where the pool's own writer puts: across the members (PoolBackend), or into an engine queue they all host. */
  #backend!: Pick<PoolBackend<TItem>, 'connectWriter' | 'endWriter'>;
  #state: PoolState = 'idle';
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #terminating: Promise<void> | undefined;
  #error: Error | undefined;
  #results: TStop[] | undefined;
  #restart: { max: number; backoffMs: number } | undefined;
  #restarts = 0;
  #unwatchUpstreams: (() => void) | undefined;
  #feed: MetricsFeed;
  /** While the pool's metrics are on, each member listens too, so that its child measures `work`. */
  #memberListener = () => {};

  constructor(
    ConsumerClass: PoolMemberClass<TItem, TResult, TArgs, TStart, TMessage, TReply, TStop>,
    options: ConsumerPoolOptions<TArgs, TResult> = {},
  ) {
    super({ captureRejections: true }); // an async listener that rejects is reported (see the rejection handler)
    if (typeof ConsumerClass !== 'function') {
      throw new ConfigError('ERR_INVALID_OPTION', `ConsumerPool: the first argument must be a Consumer subclass, got ${describe(ConsumerClass)}`);
    }
    const { size, restart, name, stopWhenUpstreamEnds, ...consumerOptions } = options;
    this.name = name ?? defaultWorkerName(ConsumerClass);
    const where = optionOwner('ConsumerPool', this.name);
    this.size = size === undefined ? availableParallelism() : checkCount(where, 'size', size);
    if (restart !== undefined) {
      if (restart === null || typeof restart !== 'object') {
        throw invalidOption(where, `option "restart" must be { max, backoffMs }, got ${describe(restart)}`);
      }
      this.#restart = {
        max: checkCount(where, 'restart.max', restart.max),
        backoffMs: restart.backoffMs === undefined ? 100 : checkDuration(where, 'restart.backoffMs', restart.backoffMs),
      };
    }
    this.stopWhenUpstreamEnds = stopWhenUpstreamEnds ?? false;
    const batching: Pick<ConsumerOptions, 'maxBufferSize' | 'workTimeout'> =
      consumerOptions.maxBufferSize === undefined && consumerOptions.workTimeout === undefined
        ? { maxBufferSize: POOL_BATCH, workTimeout: 0 }
        : {};
    this.members = Array.from({ length: this.size }, (_, index) => {
      const member = new ConsumerClass({
        ...consumerOptions,
        ...batching,
        name: `${this.name}-${index + 1}`,
        [POOL_MEMBER]: true,
      } as ConsumerOptions<TArgs, TResult>);
      // The pool's listeners are the pool's callbacks: their failures are the pool's (a CallbackError naming it).
      member.on('result', (result) => callUser(this, this.#owner, "'result' listener", () => this.emit('result', result)));
      member.on('message', (message) => callUser(this, this.#owner, "'message' listener", () => this.emit('message', message, member.name)));
      member.on('error', (error) => this.#onMemberError(member, error));
      member.on('state', () => this.#checkStopped());
      return member;
    });
    this.#queue = this.#poolQueue(consumerOptions.queue);
    this.#feed = new MetricsFeed({
      interval: options.metricsInterval,
      listeners: () => this.listenerCount('metrics'),
      emit: () => this.emit('metrics', this.metrics()),
      switched: (on) => {
        for (const member of this.members) {
          if (on) member.on('metrics', this.#memberListener);
          else member.off('metrics', this.#memberListener);
        }
      },
    });
    this.#feed.followListeners(this);
    register('pool', this);
  }

  /**
   * The pool's queue: an engine queue every member hosts (one consumer group),
   * or a queue of its own that spreads items across the members' queues.
   */
  #poolQueue(engineQueue: ReadyQueue<any> | undefined): ReadyQueue<TItem> {
    if (engineQueue?.backend instanceof EngineBackend) {
      this.#backend = engineQueue.backend;
      return engineQueue as ReadyQueue<TItem>;
    }
    return new ReadyQueue<TItem>({
      capacity: this.members[0].getWorkQueue().capacity,
      name: `queue of pool '${this.name}'`,
      [QUEUE_BACKEND]: (queue: ReadyQueue<TItem>) => {
        const backend = new PoolBackend<TItem>(queue, {
          name: this.name,
          memberQueues: () => this.members.map((member) => member.getWorkQueue()),
          accepting: () => this.#state === 'running',
        });
        this.#backend = backend;
        backend.watchMembers();
        return backend;
      },
    } as OwnedQueueOptions);
  }

  /** A snapshot of the pool: its members' counters added up, its queue, each member's own (see PoolMetrics). */
  metrics(): PoolMetrics {
    const facts = { name: this.name, state: this.#state, size: this.size, restarts: this.#restarts, queue: this.#queue.metrics() };
    return poolMetrics(facts, this.members.map((member) => member.metrics()));
  }

  /** The pool's queue: subscribe producers to it, or put into it. Each item goes to one member. */
  getWorkQueue(): ReadyQueue<TItem> {
    return this.#queue;
  }

  /** The pool's state (see PoolState). */
  getState(): PoolState {
    return this.#state;
  }

  /** Starts every member (in parallel). Idempotent; put() starts the pool if needed. */
  start(): Promise<void> {
    if (this.#state === 'idle') {
      this.#setState('running');
      if (this.stopWhenUpstreamEnds) {
        this.#unwatchUpstreams = watchUpstreams(this.#queue, () => this.close());
      }
      this.#starting = Promise.all(this.members.map((member) => member.start())).then(
        () => this.#backend.connectWriter(),
        (error: Error) => {
          this.#fail(error);
          throw error;
        },
      );
    }
    return this.#starting ?? Promise.resolve();
  }

  /**
   * Puts items into the pool's queue, in order (waiting for room when every
   * member is full).
   * @throws PoolError after close(), join() or terminate().
   */
  async put(...items: TItem[]): Promise<void> {
    if (this.#state !== 'idle' && this.#state !== 'running') {
      throw new PoolError('ERR_POOL_CLOSED', `ConsumerPool '${this.name}' is ${this.#state}: put() is refused after close(), join() or terminate()`);
    }
    await this.start();
    if (!(await this.#queue.putAll(items))) {
      throw new PoolError('ERR_POOL_CLOSED', `ConsumerPool '${this.name}' refused an item: it is ${this.#state}`);
    }
  }

  /**
   * Refuses new items and drains in the background: every item already put
   * (here or by producers) is consumed, then the members stop. Idempotent.
   */
  close(): void {
    if (this.#closing || this.#terminating) return;
    if (this.#state === 'idle') {
      this.#closing = Promise.resolve();
      this.#setState('stopped');
      return;
    }
    if (this.#state === 'running') this.#setState('closing');
    this.#closing = (async () => {
      await this.#starting?.catch(() => {});
      // Draining members tell every writer (ours included) to flush and end: nothing put before close() is lost.
      await Promise.all([
        this.#backend.endWriter(),
        ...this.members.map((member) => member.stopAtQueueEnd().catch(() => {})),
      ]);
      this.#unwatchUpstreams?.();
    })();
  }

  /**
   * Closes the pool and waits until it drained and every member stopped.
   * Resolves with (and sets `results` to) what each member's onStop returned,
   * in member order. Idempotent. A pool that was never started is started
   * first, so that each member runs once (onStart, then onStop), as Python's
   * `consumers` pool does.
   * @throws the first member failure (a WorkerError naming the member) when the pool failed.
   */
  async join(): Promise<TStop[]> {
    if (this.#state === 'idle') this.start().catch(() => {}); // a failure rejects join() below
    this.close();
    await this.#closing;
    await this.#terminating;
    if (this.#error) throw this.#error;
    this.#results ??= this.members.map((member) => member.stopResult as TStop);
    if (this.#state !== 'failed') this.#setState('stopped');
    return this.#results;
  }

  /** What each member's onStop returned, in member order. */
  get results(): TStop[] {
    if (!this.#results) {
      throw new PoolError('ERR_POOL_NOT_JOINED', `ConsumerPool '${this.name}': results are available once join() has resolved`);
    }
    return this.#results;
  }

  /** Kills every member now (queued items are lost). Idempotent. */
  terminate(): Promise<void> {
    this.#terminating ??= (async () => {
      if (this.#state === 'running' || this.#state === 'closing' || this.#state === 'idle') this.#setState('stopped');
      this.#unwatchUpstreams?.();
      await Promise.all(this.members.map((member) => member.stop({ timeout: 0 }).catch(() => {})));
    })();
    return this.#terminating;
  }

  /** Stops every member (each finishes its current work and runs onStop; queued items are dropped). */
  async stop(): Promise<void> {
    if (this.#state === 'idle' || this.#state === 'running' || this.#state === 'closing') this.#setState('stopped');
    this.#unwatchUpstreams?.();
    await Promise.all(this.members.map((member) => member.stop().catch(() => {})));
  }

  /** Every member's work results as one async iterable, as they come (ends when every member stopped). */
  resultStream(): AsyncIterable<TResult> {
    return mergeResults(this.members.map((member) => member.results()));
  }

  /** `await using pool = ...`: joins (drains) at the end of the scope, like Python's `with Pool(...)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.join();
  }

  #onMemberError(member: Consumer<TItem, TResult, TArgs, TStart, TMessage, TReply>, error: Error): void {
    if (isNews(error)) return tell(this, error); // a reset, a host lost: passed on, and the pool goes on
    if (error instanceof CallbackError) return raise(this, error); // a main-process callback failed: the member goes on, so does the pool
    const failure = memberFailed(member.name, error);
    if (this.#restart && this.#restarts < this.#restart.max && (this.#state === 'running' || this.#state === 'closing')) {
      this.#restarts++;
      log('warn', `pool '${this.name}': member '${member.name}' failed and is restarted`, { pool: this.name, member: member.name, error: failure.message });
      this.emit('memberRestart', failure, member.name);
      const backoff = this.#restart.backoffMs;
      void (async () => {
        // The failed member stops by itself; start it again once it is down.
        while (member.status !== 'stopped') await new Promise<void>((resolve) => member.once('state', () => resolve()));
        await new Promise((resolve) => setTimeout(resolve, backoff));
        if (this.#state !== 'running' && this.#state !== 'closing') return;
        await member.start().catch((restartError: Error) => this.#fail(restartError));
        if (this.#state === 'closing') member.stopAtQueueEnd().catch(() => {});
      })();
      return;
    }
    this.#fail(failure);
  }

  /** The pool fails: report once, stop the other members, and let join() reject. */
  #fail(error: Error): void {
    if (this.#error) return;
    this.#error = error;
    this.#setState('failed');
    void this.terminate();
    raise(this, error, () => this.#closing !== undefined); // join() rejects with it once closing
  }

  /** Who this pool's callbacks belong to, as a CallbackError names it. */
  get #owner(): { kind: string; name: string } {
    return { kind: 'ConsumerPool', name: this.name };
  }

  /** EventEmitter's captureRejections: an async listener rejected. */
  override [EventEmitter.captureRejectionSymbol](error: Error, event: unknown, ..._args: any[]): void {
    reportRejection(this, this.#owner, error, event);
  }

  #checkStopped(): void {
    if (this.#state !== 'closing') return;
    if (this.members.every((member) => member.status === 'stopped')) {
      this.#setState('stopped');
    }
  }

  #setState(state: PoolState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#feed.live(state === 'running' || state === 'closing');
    this.emit('state', state);
  }
}

