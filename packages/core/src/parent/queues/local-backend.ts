import { QueueHost, addDrops, noDrops, putWhenWritable, type DropCounts, type QueueSink } from '@prodcon/ipc';
import { durationStats } from '../../shared/duration-stats.js';
import { StateError } from '../../shared/errors.js';
import type { QueueMetrics } from '../../shared/metrics-types.js';
import type { HostReport } from '../../shared/report-types.js';
import { getHub } from '../hub.js';
import type { QueueBackend, QueueIdentity } from './backend.js';

/**
 * A queue that lives in the main process: its ring buffer is here, the main
 * process puts into it directly, and producers in children write to it
 * through the main process's socket.
 */
export class LocalBackend<T> implements QueueBackend<T> {
  readonly host: QueueHost;
  readonly owner: QueueMetrics['owner'] = { kind: 'local', name: undefined };
  #queue: QueueIdentity;
  #writer: QueueSink | undefined;
  #routed = false;

  constructor(queue: QueueIdentity, ready: boolean) {
    this.#queue = queue;
    this.host = new QueueHost({
      queueId: queue.id,
      name: queue.name,
      capacity: queue.capacity,
      lossy: queue.lossy,
      ready,
    });
  }

  isReady(): boolean {
    return this.host.state === 'ready';
  }

  setReady(): void {
    this.host.setReady();
  }

  setNotReady(): void {
    this.host.setNotReady();
  }

  clear(): void {
    this.host.discard('cleared');
  }

  put(item: T): Promise<boolean> {
    this.#writer ??= this.host.createLocalWriter('main process');
    return putWhenWritable(this.#writer, item);
  }

  async get(): Promise<T> {
    for (;;) {
      if (this.host.state === 'gone') throw new StateError('ERR_QUEUE_GONE', `${this.#queue.name} was shut down`);
      if (this.host.size > 0) return this.host.takeOne() as T;
      await this.host.whenItems();
    }
  }

  get size(): number {
    return this.host.size;
  }

  get localDrops(): Readonly<DropCounts> {
    return addDrops(addDrops(noDrops(), this.host.drops), this.#writer?.drops ?? {});
  }

  address(): string | 'pending' | null {
    const hub = getHub();
    const address = hub.listeningAddress;
    if (!address) return null;
    if (!this.#routed) {
      hub.queues.add(this.host);
      this.#routed = true;
    }
    return address;
  }

  reportedSize(): void {
    // The size of a local queue is known here.
  }

  hostReport(): HostReport {
    return { received: this.host.received, taken: this.host.taken, latency: durationStats(this.host.latency.histogram) };
  }
}
