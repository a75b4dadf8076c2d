import { randomHex } from '../shared/random-hex.js';
import { addDrops, engineQueueKey, maxDrops, noDrops, registerCustomType, totalDrops, type DropCounts, type EngineBinding } from '@prodcon/ipc';
import { EngineBackend } from '../parent/queues/engine-backend.js';
import { LocalBackend } from '../parent/queues/local-backend.js';
import type { QueueBackend } from '../parent/queues/backend.js';
import { WorkerBackend } from '../parent/queues/worker-backend.js';
import { register } from '../parent/registry.js';
import { logDrops } from '../parent/drop-log.js';
import { ConfigError } from '../shared/errors.js';
import type { QueueMetrics } from '../shared/metrics-types.js';
import type { HostReport } from '../shared/report-types.js';
import type { QueueBinding, QueueStats } from '../shared/protocol.js';
import { RemoteQueue, type SerializedQueue } from '../shared/remote-queue.js';
import { checkBoolean, checkCount } from './options.js';

/** Options of `new ReadyQueue()`. */
export interface ReadyQueueOptions {
  /** Most items the queue holds (default 10,000). */
  capacity?: number;
  /**
   * Lossy queues never block a writer: when full, the oldest item is dropped
   * (counted in `dropped`). Lossless queues (default) make writers wait.
   */
  lossy?: boolean;
  /** Whether the queue accepts items from the start (default true for a queue you create). */
  ready?: boolean;
  /** Names the queue in errors. */
  name?: string;
}

/** The capacity of a queue whose options do not say (a ReadyQueue's, a consumer's `queueSize`). */
export const DEFAULT_QUEUE_CAPACITY = 10_000;

/** Marks a ReadyQueue as the queue of a consumer (set by the Consumer; not part of the public options). */
const QUEUE_OWNER = Symbol('prodcon.queueOwner');
/** Builds a ReadyQueue around a given backend (the queue of a pool). */
export const QUEUE_BACKEND = Symbol('prodcon.queueBackend');
/** The options a Consumer or a ConsumerPool gives its own queue. */
export type OwnedQueueOptions = ReadyQueueOptions & {
  [QUEUE_OWNER]?: string;
  [QUEUE_BACKEND]?: (queue: ReadyQueue<any>) => QueueBackend<any>;
};

/**
 * A bounded queue between processes, with a ready flag.
 *
 * - Ready: `put` accepts items. Not ready: `put` refuses (resolves false) and
 *   counts the item in `dropped`; `setNotReady()` also clears what is queued.
 * - Lossless and full: `put` waits for room (back-pressure), so memory stays
 *   bounded end to end. Lossy and full: the oldest item is dropped, whoever puts.
 *
 * A consumer's queue (`consumer.getWorkQueue()`) lives in the consumer's
 * process and is ready exactly while the consumer runs. A queue you create
 * lives in the main process: producers can write to it and you consume it with
 * `get()` or `for await`.
 */
export class ReadyQueue<T = unknown> implements AsyncIterable<T> {
  readonly id: string;
  readonly capacity: number;
  readonly lossy: boolean;
  readonly name: string;
  /** @internal */
  readonly backend: QueueBackend<T>;
  #reports = new Map<string, QueueStats>();
  #retiredDrops = noDrops();
  #bindingListeners = new Set<() => void>();
  /** The hosting child's latest report about what entered and left the queue (kept after it stopped). */
  #hostReport: HostReport | undefined;

  constructor(options: ReadyQueueOptions = {}) {
    const settings = ReadyQueue.#settings(options, 'ReadyQueue');
    this.id = randomHex(6);
    this.capacity = settings.capacity;
    this.lossy = settings.lossy;
    this.name = options.name ?? `queue ${this.id}`;
    const owner = (options as OwnedQueueOptions)[QUEUE_OWNER];
    const makeBackend = (options as OwnedQueueOptions)[QUEUE_BACKEND];
    this.backend = makeBackend
      ? makeBackend(this)
      : owner
        ? new WorkerBackend<T>(this, owner)
        : new LocalBackend<T>(this, options.ready ?? true);
    register('queue', this);
  }

  /** @internal The queue of a consumer: hosted by its child, ready while it runs. */
  static forWorker<T>(workerName: string, capacity: number, lossy: boolean): ReadyQueue<T> {
    return new ReadyQueue<T>({
      capacity,
      lossy,
      name: `queue of consumer '${workerName}'`,
      [QUEUE_OWNER]: workerName,
    } as OwnedQueueOptions);
  }

  static #settings(options: ReadyQueueOptions, where: string): { capacity: number; lossy: boolean } {
    if (options === null || typeof options !== 'object') {
      throw new ConfigError('ERR_INVALID_OPTION', `${where}: options must be an object`);
    }
    const capacity = options.capacity === undefined ? DEFAULT_QUEUE_CAPACITY : checkCount(where, 'capacity', options.capacity);
    const lossy = options.lossy === undefined ? false : checkBoolean(where, 'lossy', options.lossy);
    if (options.ready !== undefined) checkBoolean(where, 'ready', options.ready);
    return { capacity, lossy };
  }

  /** Accepts items from now on. */
  setReady(): void {
    this.backend.setReady();
    this.notifyBindingChanged();
  }

  /** Refuses items from now on, and clears what is queued (counted in `dropped`). */
  setNotReady(): void {
    this.backend.setNotReady();
    this.notifyBindingChanged();
  }

  /** Whether the queue accepts items now. */
  isReady(): boolean {
    return this.backend.isReady();
  }

  /** Drops every queued item (counted in `dropped`). */
  clear(): void {
    this.backend.clear();
  }

  /**
   * Puts one item. Resolves true when the queue accepted it, false when it
   * refused it (not ready). On a full lossless queue it waits for room.
   * @throws CodecError at once when the item cannot cross a process boundary (a function, a symbol).
   */
  put(item: T): Promise<boolean> {
    return this.backend.put(item);
  }

  /**
   * @internal Puts items in order; resolves true when all were accepted,
   * false when the queue refused them. One call for the batch where the
   * backend batches (a pool's queue), else one put after the other.
   */
  async putAll(items: readonly T[]): Promise<boolean> {
    if (this.backend.putMany) return this.backend.putMany(items);
    for (const item of items) if (!(await this.backend.put(item))) return false;
    return true;
  }

  /** Takes the oldest item, waiting for one. Only for queues consumed by the main process. */
  get(): Promise<T> {
    return this.backend.get();
  }

  /** `for await (const item of queue)`: takes items as they come (queues the main process consumes). */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) yield await this.get();
  }

  /** Items waiting (for a consumer's queue: as last reported by its process). */
  get size(): number {
    return this.backend.size;
  }

  /**
   * Items this queue dropped or refused, wherever that happened: refused
   * while not ready, overwritten when lossy and full, cleared by
   * `setNotReady()` or by a consumer's `stop()`. Counts from other processes
   * arrive as they report them, and are exact once those workers stopped.
   */
  get dropped(): number {
    return totalDrops(this.drops);
  }

  /**
   * `dropped`, by cause: `overflow` (a lossy queue was full), `refused` (a
   * put while the queue did not accept items), `cleared` (`setNotReady()`,
   * `clear()`), `stopped` (still queued when its consumer stopped), `lost`
   * (accepted, and its consumer died before it got there).
   */
  get drops(): DropCounts {
    const drops = addDrops(addDrops(noDrops(), this.backend.localDrops), this.#retiredDrops);
    for (const report of this.#reports.values()) addDrops(drops, report.drops);
    // An engine queue: the engine counted the drops it saw, every process's and host's; the count here may also
    // hold drops the engine never saw (puts refused while nobody hosted it). Each is a lower bound, cause by cause.
    const engine = this.backend.engineDrops;
    return engine ? maxDrops(drops, engine) : drops;
  }

  /**
   * A snapshot of the queue: size against capacity, drops by cause, items in
   * and out, and the latency of its batches (see QueueMetrics).
   */
  metrics(): QueueMetrics {
    const host = this.backend.hostReport() ?? this.#hostReport;
    const drops = this.drops;
    return {
      id: this.id,
      name: this.name,
      owner: this.backend.owner,
      capacity: this.capacity,
      lossy: this.lossy,
      ready: this.isReady(),
      size: this.size,
      received: host?.received ?? 0,
      taken: host?.taken ?? 0,
      dropped: totalDrops(drops),
      drops,
      latency: host?.latency,
    };
  }

  // --- internals used by workers ----------------------------------------------

  /** @internal How a writer reaches this queue right now. */
  binding(): QueueBinding {
    const binding: QueueBinding = { queueId: this.id, lossy: this.lossy, capacity: this.capacity, address: this.backend.address() };
    if (this.backend.members) binding.members = this.backend.members();
    if (this.backend.engine) binding.engine = this.backend.engine;
    return binding;
  }

  /** @internal Workers whose output goes into this queue (for end-of-stream detection). */
  readonly upstreams = new Set<object>();

  /** @internal Called when where or whether the queue accepts items changes. */
  onBindingChange(listener: () => void): () => void {
    this.#bindingListeners.add(listener);
    return () => this.#bindingListeners.delete(listener);
  }

  /** @internal */
  get bindingListenerCount(): number {
    return this.#bindingListeners.size;
  }

  /** @internal */
  notifyBindingChanged(): void {
    for (const listener of this.#bindingListeners) listener();
  }

  /** @internal Counters reported by another process (cumulative for `reporter`). */
  report(reporter: string, stats: QueueStats): void {
    const before = this.#reports.get(reporter);
    this.#reports.set(reporter, stats);
    if (stats.size !== undefined) this.backend.reportedSize(stats.size);
    if (stats.host) this.#hostReport = stats.host;
    logDrops(this.name, before?.drops, stats.drops);
    if (stats.engineDrops) this.backend.reportedEngineDrops?.(stats.engineDrops);
  }

  /** @internal The reporter finished: keep its final counts, forget the entry. */
  retireReporter(reporter: string): void {
    const report = this.#reports.get(reporter);
    if (!report) return;
    addDrops(this.#retiredDrops, report.drops);
    this.#reports.delete(reporter);
  }
}

/**
 * A ReadyQueue that takes items of type `T`: any `ReadyQueue<U>` where `T` is
 * assignable to `U` (a producer of `number` may write into a queue of
 * `number | string`, not into a queue of `string`). What a worker's
 * subscribers must be.
 */
export type SubscriberQueue<T> = ReadyQueue<any> & {
  /** Takes items of type T. */
  put(item: T): Promise<boolean>;
};

const engineQueues = new Map<string, ReadyQueue<any>>();

/**
 * The ReadyQueue of a queue kept by an engine (what `redisQueue()` of
 * @prodcon/redis returns): one per engine queue and process, so that every
 * worker naming it shares its ready flag, counters and upstreams.
 * @throws ConfigError when the queue was already made here with another capacity or loss policy.
 */
export function engineQueue<T>(engine: EngineBinding, options: { capacity?: number; lossy?: boolean; name?: string } = {}): ReadyQueue<T> {
  const key = engineQueueKey(engine);
  const settings = { capacity: options.capacity ?? DEFAULT_QUEUE_CAPACITY, lossy: options.lossy ?? false };
  const existing = engineQueues.get(key);
  if (existing) {
    if (existing.capacity !== settings.capacity || existing.lossy !== settings.lossy) {
      throw new ConfigError(
        'ERR_INVALID_OPTION',
        `${existing.name} exists with capacity ${existing.capacity}${existing.lossy ? ', lossy' : ''}: it cannot also be made with capacity ${settings.capacity}${settings.lossy ? ', lossy' : ''}`,
      );
    }
    return existing as ReadyQueue<T>;
  }
  const queue = new ReadyQueue<T>({
    ...settings,
    name: options.name ?? `${engine.transport} queue '${engine.queue}'`,
    [QUEUE_BACKEND]: (face: ReadyQueue<T>) => new EngineBackend<T>(face, engine),
  } as OwnedQueueOptions);
  engineQueues.set(key, queue);
  return queue;
}

/** Puts `item` into `queue` from the main process (adv_prodcon's put_in_queue). */
export function putInQueue<T>(queue: ReadyQueue<T>, item: T): Promise<boolean> {
  return queue.put(item);
}

// A ReadyQueue in a worker's args (or in any value sent) arrives as a RemoteQueue handle that puts into it.
registerCustomType<ReadyQueue<unknown> | RemoteQueue<unknown>, SerializedQueue>(
  {
    isApplicable: (value): value is ReadyQueue<unknown> | RemoteQueue<unknown> =>
      value instanceof ReadyQueue || value instanceof RemoteQueue,
    serialize: (queue) => (queue instanceof ReadyQueue ? { ...queue.binding(), name: queue.name } : queue.serialize()),
    deserialize: (binding) => new RemoteQueue(binding),
  },
  'prodcon.ReadyQueue',
);
