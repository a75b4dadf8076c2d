import { RingBuffer } from '../util/ring-buffer.js';

/**
 * For hosts that acknowledge items only once consumed (pool members:
 * at-least-once): which writer sent each item, from its arrival until it is
 * acknowledged, so that each writer can be told how many of its items it may
 * forget. Items from writers that need no answer (in this process) are
 * recorded as `undefined`.
 */
export class Acknowledgements<W> {
  /** The writer of each queued item, in queue order... */
  #queued = new RingBuffer<W | undefined>();
  /** ...and of each item taken and not yet acknowledged, in the order taken. */
  #taken = new RingBuffer<W | undefined>();

  /** Items taken and not yet acknowledged: they still hold capacity. */
  get unacknowledged(): number {
    return this.#taken.length;
  }

  /** `count` items from `origin` joined the back of the queue. */
  queued(origin: W | undefined, count: number): void {
    for (let index = 0; index < count; index++) this.#queued.push(origin);
  }

  /** The oldest `count` queued items were taken (or cleared: they are then acknowledged at once). */
  taken(count: number): void {
    for (let index = 0; index < count; index++) this.#taken.push(this.#queued.shift());
  }

  /**
   * The oldest `count` taken items were consumed. Returns how many each
   * writer may forget, writers in the order of their oldest acknowledged item.
   */
  acknowledge(count: number): Map<W, number> {
    const perWriter = new Map<W, number>();
    for (let index = 0; index < count && this.#taken.length > 0; index++) {
      const writer = this.#taken.shift();
      if (writer) perWriter.set(writer, (perWriter.get(writer) ?? 0) + 1);
    }
    return perWriter;
  }
}
