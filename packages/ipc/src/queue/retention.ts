import { RingBuffer } from '../util/ring-buffer.js';
import { Signal } from '../util/signal.js';

/**
 * At-least-once delivery, on the writer's side: every value sent to a host
 * that acknowledges (a pool member) is kept until the host reports it
 * consumed. If the host goes away first, the values still kept are handed to
 * `onLost`, to be delivered elsewhere.
 */
export class Retention {
  #values = new RingBuffer<unknown>();
  #acknowledged = new Signal();
  readonly #onLost: ((values: unknown[]) => void) | undefined;

  constructor(onLost: ((values: unknown[]) => void) | undefined) {
    this.#onLost = onLost;
  }

  /** Values sent and not yet acknowledged. */
  get size(): number {
    return this.#values.length;
  }

  /** Keeps a value just sent. */
  keep(value: unknown): void {
    this.#values.push(value);
  }

  /** Keeps `values[from..to)`, just sent, in order. */
  keepMany(values: readonly unknown[], from: number, to: number): void {
    for (let index = from; index < to; index++) this.#values.push(values[index]);
  }

  /** The host consumed the oldest `count` values: forget them. */
  acknowledged(count: number): void {
    for (let index = 0; index < count; index++) this.#values.shift();
    if (this.#values.length === 0) this.#acknowledged.notify();
  }

  /** The newest `count` values were never written (the writer cleared them): forget them. */
  withdrawn(count: number): void {
    this.#values.dropNewest(count);
    if (this.#values.length === 0) this.#acknowledged.notify();
  }

  /** Resolves the next time no value is kept (all acknowledged, or handed over). */
  whenNoneKept(): Promise<void> {
    return this.#acknowledged.wait();
  }

  /**
   * The host is gone: hands every value still kept to `onLost` (not lost:
   * the owner delivers them elsewhere). Returns how many values were lost
   * instead, for want of an `onLost`.
   */
  handOver(): number {
    const values = this.#values.shiftMany(this.#values.length);
    this.#acknowledged.notify();
    if (this.#onLost) {
      this.#onLost(values);
      return 0;
    }
    return values.length;
  }
}
