import { putWhenWritable, type DropCounts } from '@prodcon/ipc';
import { StateError } from './errors.js';
import { writerFor, type BindingWriter } from './binding-writer.js';
import type { QueueBinding } from './protocol.js';

/** A queue as it crosses a process boundary: where to write, and its name. */
export interface SerializedQueue extends QueueBinding {
  name: string;
}

/** Handles made in this process (a child): ended, and so flushed, before the child exits. */
const open = new Set<RemoteQueue<unknown>>();

/**
 * What a ReadyQueue becomes when it crosses a process boundary (in a
 * worker's `args`, say): a handle that puts into the queue where it lives,
 * like consumers' cross-pool example (`await ctx.args.logger.put(total)`). It
 * reaches the queue where it was when the handle was sent: if that consumer
 * restarts elsewhere meanwhile, puts are refused (and counted). Values are
 * encoded with the `auto` codec (the handle does not know its worker's).
 */
export class RemoteQueue<T = unknown> {
  readonly id: string;
  readonly name: string;
  readonly capacity: number;
  readonly lossy: boolean;
  #sink: BindingWriter;
  #engine: SerializedQueue['engine'];

  /** @hidden Made by prodcon when a ReadyQueue crosses a process boundary, not by hand. */
  constructor(binding: SerializedQueue) {
    this.id = binding.queueId;
    this.name = binding.name;
    this.capacity = binding.capacity;
    this.lossy = binding.lossy;
    this.#engine = binding.engine;
    this.#sink = writerFor(binding, { writerName: `process ${process.pid}` });
    open.add(this);
  }

  /** Puts one item (waits for room on a full lossless queue); false when refused. */
  put(item: T): Promise<boolean> {
    return putWhenWritable(this.#sink, item);
  }

  /** Whether puts are accepted now (as far as this process knows). */
  isReady(): boolean {
    return this.#sink.state === 'ready' || this.#sink.state === 'connecting';
  }

  /** Items this handle dropped or had refused. */
  get dropped(): number {
    return this.#sink.dropped;
  }

  /** The same, by cause. */
  get drops(): Readonly<DropCounts> {
    return this.#sink.drops;
  }

  /** Always rejects (ERR_QUEUE_NOT_LOCAL): a handle in another process can only put. */
  get(): Promise<T> {
    return Promise.reject(new StateError('ERR_QUEUE_NOT_LOCAL', `${this.name}: a queue handle in another process can only put`));
  }

  /** @internal What crosses a process boundary for this handle. */
  serialize(): SerializedQueue {
    return { queueId: this.id, name: this.name, capacity: this.capacity, lossy: this.lossy, address: null, engine: this.#engine };
  }

  /** Flushes what was put and detaches. */
  async end(): Promise<void> {
    open.delete(this);
    await this.#sink.end();
  }
}

/** Ends every queue handle of this process (the child runtime calls it before exiting). */
export async function endRemoteQueues(): Promise<void> {
  await Promise.all([...open].map((queue) => queue.end()));
}
