import { QueueWriter, WaitingPuts, addDrops, noDrops, type CodecName, type DropCounts } from '@prodcon/ipc';
import type { QueueMetrics } from '../../shared/metrics-types.js';
import { consumedElsewhere, type HostedQueueBackend, type QueueBackend, type QueueIdentity } from './backend.js';

/** What the consumer's running child does for its queue on request of the main process. */
export interface HostedQueueControl {
  setReady(ready: boolean): void;
  clear(): void;
}

type Phase = 'stopped' | 'starting' | 'running' | 'draining';

/**
 * The queue of a consumer: its items live in the consumer's child, which
 * hosts the queue on a socket while it runs. The main process writes to it
 * like any producer does, through a QueueWriter. Ready exactly while the
 * consumer runs (unless set not ready meanwhile).
 */
export class WorkerBackend<T> implements QueueBackend<T>, HostedQueueBackend {
  readonly workerName: string;
  #queue: QueueIdentity;
  #phase: Phase = 'stopped';
  #address: string | undefined;
  #userReady = true;
  #refused = 0;
  #reportedSize = 0;
  #writer: QueueWriter | undefined;
  /** This process's puts, in call order, waiting for credit (see WaitingPuts). */
  #puts: WaitingPuts | undefined;
  #codec: CodecName = 'auto';
  #control: HostedQueueControl | undefined;

  constructor(queue: QueueIdentity, workerName: string) {
    this.#queue = queue;
    this.workerName = workerName;
  }

  get owner(): QueueMetrics['owner'] {
    return { kind: 'consumer', name: this.workerName };
  }

  hostReport(): undefined {
    return undefined; // the consumer's child reports it (ReadyQueue keeps the reports)
  }

  // --- driven by the Consumer --------------------------------------------------

  /** start() was called: from now on puts wait for the queue (lossless) or buffer (lossy) instead of being refused. */
  startRequested(): void {
    if (this.#phase !== 'stopped') return;
    this.#phase = 'starting';
    this.#userReady = true;
    this.#writer?.bind('pending');
    this.#queue.notifyBindingChanged();
  }

  /** The consumer's child is being launched. */
  starting(control: HostedQueueControl, codec: CodecName): void {
    this.#phase = 'starting';
    this.#userReady = true;
    this.#control = control;
    this.#codec = codec;
    this.#writer?.bind('pending');
    this.#queue.notifyBindingChanged();
  }

  /** The consumer's child listens on `address`. */
  hosting(address: string): void {
    this.#address = address;
    if (this.#phase === 'starting') this.#phase = 'running';
    this.#rebind();
    this.#queue.notifyBindingChanged();
  }

  /**
   * The consumer drains: new puts from this process are refused. Writers stay
   * connected: the host tells them to flush and end, so nothing accepted is lost.
   */
  draining(): void {
    if (this.#phase === 'stopped') return;
    this.#phase = 'draining';
  }

  /** The consumer stopped: the queue is gone until the next start. */
  stopped(): void {
    this.#phase = 'stopped';
    this.#address = undefined;
    this.#control = undefined;
    this.#reportedSize = 0;
    this.#writer?.bind(undefined);
    this.#queue.notifyBindingChanged();
  }

  // --- QueueBackend ------------------------------------------------------------------

  isReady(): boolean {
    return (this.#phase === 'starting' || this.#phase === 'running') && this.#userReady;
  }

  setReady(): void {
    this.#userReady = true;
    this.#control?.setReady(true);
    this.#rebind();
  }

  setNotReady(): void {
    this.#userReady = false;
    this.#control?.setReady(false);
    this.#rebind();
  }

  clear(): void {
    this.#control?.clear();
  }

  put(item: T): Promise<boolean> {
    if (!this.isReady()) {
      this.#refused++;
      return Promise.resolve(false);
    }
    if (!this.#writer) {
      this.#writer = new QueueWriter({
        queueId: this.#queue.id,
        lossy: this.#queue.lossy,
        capacity: this.#queue.capacity,
        writerName: 'main process',
        codec: this.#codec,
      });
      this.#puts = new WaitingPuts(this.#writer, { codec: this.#codec });
      this.#rebind();
    }
    return this.#puts!.put([item]);
  }

  get(): Promise<T> {
    return consumedElsewhere(this.#queue.name, "its worker's process");
  }

  get size(): number {
    return this.#phase === 'stopped' ? 0 : this.#reportedSize;
  }

  get localDrops(): Readonly<DropCounts> {
    const drops = addDrops(noDrops(), this.#writer?.drops ?? {});
    drops.refused += this.#refused;
    return drops;
  }

  address(): string | 'pending' | null {
    if (!this.#userReady) return null;
    if (this.#phase === 'stopped') return null;
    return this.#address ?? 'pending';
  }

  reportedSize(size: number): void {
    this.#reportedSize = size;
  }

  #rebind(): void {
    const address = this.address();
    this.#writer?.bind(address === null ? undefined : address);
  }
}
