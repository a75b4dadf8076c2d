import type { CodecName, DropCounts, EngineBinding, PoolMemberAddress } from '@prodcon/ipc';
import { StateError } from '../../shared/errors.js';
import type { QueueMetrics } from '../../shared/metrics-types.js';
import type { HostReport } from '../../shared/report-types.js';

/** What a backend knows of the queue it serves (the ReadyQueue, seen narrowly). */
export interface QueueIdentity {
  readonly id: string;
  readonly name: string;
  readonly capacity: number;
  readonly lossy: boolean;
  /** Tells the queue's writers to look again at where (and whether) it accepts items. */
  notifyBindingChanged(): void;
}

/**
 * Where a ReadyQueue's items live: in the main process (`LocalBackend`), in
 * a consumer's child (`WorkerBackend`), across a pool's members
 * (`PoolBackend`) or at an engine (`EngineBackend`). The ReadyQueue is the
 * public face.
 */
export interface QueueBackend<T> {
  isReady(): boolean;
  setReady(): void;
  setNotReady(): void;
  clear(): void;
  put(item: T): Promise<boolean>;
  /** Puts several items in order, with one promise (backends that batch: a pool's); else ReadyQueue puts them one by one. */
  putMany?(items: readonly T[]): Promise<boolean>;
  get(): Promise<T>;
  readonly size: number;
  /** Drops and refusals counted in this process. */
  readonly localDrops: Readonly<DropCounts>;
  /** Where writers in other processes should connect (see QueueBinding.address). */
  address(): string | 'pending' | null;
  /** The host's size as last reported by another process (ignored by local backends). */
  reportedSize(size: number): void;
  /** For a pool's queue: where each member takes its share (see QueueBinding.members). */
  members?(): PoolMemberAddress[];
  /** Where the items live, for metrics. */
  readonly owner: QueueMetrics['owner'];
  /** The host's counters when this process knows them itself (a local queue, a pool's members); else undefined. */
  hostReport(): HostReport | undefined;
  /** For a queue kept by an engine: where it is (see QueueBinding.engine). */
  readonly engine?: EngineBinding;
  /** For a queue kept by an engine: its drops by cause, every process's (`drops` shows at least these). */
  readonly engineDrops?: Readonly<DropCounts>;
  /** A worker saw the engine's drops at `drops`. */
  reportedEngineDrops?(drops: Readonly<Partial<DropCounts>>): void;
  /** For a queue kept by an engine: calls `onEnded` once its writers on every host ended (see EngineBackend). */
  watchWritersEnded?(onEnded: () => void): () => void;
}

/** What a consumer tells the backend of the queue it hosts, run after run. */
export interface HostedQueueBackend {
  /** start() was called: puts wait for the queue (lossless) or buffer (lossy) instead of being refused. */
  startRequested(): void;
  /** The consumer's child is being launched; `control` reaches it. */
  starting(control: { setReady(ready: boolean): void; clear(): void }, codec: CodecName): void;
  /** The consumer's child hosts the queue (at `address`, for a socket). */
  hosting(address: string): void;
  /** The consumer drains. */
  draining(): void;
  /** The consumer stopped. */
  stopped(): void;
}

/** get() on a queue whose items live in another process. */
export function consumedElsewhere<T>(queueName: string, consumer: string): Promise<T> {
  return Promise.reject(
    new StateError(
      'ERR_QUEUE_NOT_LOCAL',
      `${queueName} is consumed by ${consumer}; get() and for-await work on queues you create with new ReadyQueue()`,
    ),
  );
}
