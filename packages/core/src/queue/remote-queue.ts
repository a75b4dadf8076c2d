import { PoolWriter, QueueWriter, putWhenWritable, registerCustomType } from '@prodcon/ipc';
import { StateError } from '../errors.js';
import type { QueueBinding } from '../protocol.js';
import { ReadyQueue } from './ready-queue.js';

interface SerializedQueue extends QueueBinding {
  name: string;
}

/** Handles made in this process (a child): ended, and so flushed, before the child exits. */
const open = new Set<RemoteQueue<unknown>>();

/**
 * What a ReadyQueue becomes when it crosses a process boundary (in a
 * worker's `args`, say): a handle that puts into the queue where it lives,
 * like consumers' cross-pool example (`await ctx.args.logger.put(total)`). It
 * reaches the queue where it was when the handle was sent: if that consumer
 * restarts elsewhere meanwhile, puts are refused (and counted).
 */
export class RemoteQueue<T = unknown> {
  readonly id: string;
  readonly name: string;
  readonly capacity: number;
  readonly lossy: boolean;
  #sink: QueueWriter | PoolWriter;

  constructor(binding: SerializedQueue) {
    this.id = binding.queueId;
    this.name = binding.name;
    this.capacity = binding.capacity;
    this.lossy = binding.lossy;
    const writerName = `process ${process.pid}`;
    if (binding.members) {
      const writer = new PoolWriter({ queueId: binding.queueId, capacity: binding.capacity, writerName });
      writer.bind(binding.members);
      this.#sink = writer;
    } else {
      const writer = new QueueWriter({ queueId: binding.queueId, lossy: binding.lossy, capacity: binding.capacity, writerName });
      writer.bind(binding.address ?? undefined);
      this.#sink = writer;
    }
    open.add(this as RemoteQueue<unknown>);
  }

  /** Puts one item (waits for room on a full lossless queue); false when refused. */
  put(item: T): Promise<boolean> {
    return putWhenWritable(this.#sink, item);
  }

  isReady(): boolean {
    return this.#sink.state === 'ready' || this.#sink.state === 'connecting';
  }

  get dropped(): number {
    return this.#sink.dropped;
  }

  get(): Promise<T> {
    return Promise.reject(new StateError('ERR_QUEUE_NOT_LOCAL', `${this.name}: a queue handle in another process can only put`));
  }

  /** Flushes what was put and detaches. */
  async end(): Promise<void> {
    open.delete(this as RemoteQueue<unknown>);
    await this.#sink.end();
  }
}

/** Ends every queue handle of this process (the child runtime calls it before exiting). */
export async function endRemoteQueues(): Promise<void> {
  await Promise.all([...open].map((queue) => queue.end()));
}

registerCustomType<ReadyQueue<unknown> | RemoteQueue<unknown>, SerializedQueue>(
  {
    isApplicable: (value): value is ReadyQueue<unknown> | RemoteQueue<unknown> =>
      value instanceof ReadyQueue || value instanceof RemoteQueue,
    serialize: (queue) =>
      queue instanceof ReadyQueue
        ? { ...queue.binding(), name: queue.name }
        : { queueId: queue.id, name: queue.name, capacity: queue.capacity, lossy: queue.lossy, address: null },
    deserialize: (binding) => new RemoteQueue(binding),
  },
  'prodcon.ReadyQueue',
);
