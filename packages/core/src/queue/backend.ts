import type { PoolMemberAddress } from '@prodcon/ipc';
import { StateError } from '../errors.js';
import type { ReadyQueue, ReadyQueueOptions } from './ready-queue.js';

/** Marks a ReadyQueue as the queue of a consumer (set by the Consumer; not part of the public options). */
export const QUEUE_OWNER = Symbol('prodcon.queueOwner');
/** Builds a ReadyQueue around a given backend (the queue of a pool). */
export const QUEUE_BACKEND = Symbol('prodcon.queueBackend');
export type OwnedQueueOptions = ReadyQueueOptions & {
  [QUEUE_OWNER]?: string;
  [QUEUE_BACKEND]?: (queue: ReadyQueue<any>) => QueueBackend<any>;
};

/**
 * Where a ReadyQueue's items live: in the main process (`LocalBackend`) or in
 * a consumer's child (`WorkerBackend`). The ReadyQueue is the public face.
 */
export interface QueueBackend<T> {
  isReady(): boolean;
  setReady(): void;
  setNotReady(): void;
  clear(): void;
  put(item: T): Promise<boolean>;
  get(): Promise<T>;
  readonly size: number;
  /** Drops and refusals counted in this process. */
  readonly localDropped: number;
  /** Where writers in other processes should connect (see QueueBinding.address). */
  address(): string | 'pending' | null;
  /** The host's size as last reported by another process (ignored by local backends). */
  reportedSize(size: number): void;
  /** For a pool's queue: where each member takes its share (see QueueBinding.members). */
  members?(): PoolMemberAddress[];
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
