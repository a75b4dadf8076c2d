/**
 * A growable FIFO over a power-of-two array: O(1) push and shift, unlike
 * `Array.prototype.shift`, which is O(n) and collapses under large backlogs.
 */
export class RingBuffer<T> {
  #items: Array<T | undefined>;
  #head = 0;
  #length = 0;

  constructor(initialCapacity = 16) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.#items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** Appends an item at the tail (growing the buffer if full). */
  push(item: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#length) & (this.#items.length - 1)] = item;
    this.#length++;
  }

  /** Removes and returns the oldest item (undefined when empty). */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#length--;
    return item;
  }

  /** The oldest item, left in place (undefined when empty). */
  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  /** The newest item (or undefined). */
  peekLast(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[(this.#head + this.#length - 1) & (this.#items.length - 1)];
  }

  /** Removes up to `count` items from the back (the newest); returns how many it removed. */
  dropNewest(count: number): number {
    const dropped = Math.min(count, this.#length);
    for (let index = 1; index <= dropped; index++) this.#items[(this.#head + this.#length - index) & (this.#items.length - 1)] = undefined;
    this.#length -= dropped;
    return dropped;
  }

  /** Removes and returns up to `count` items from the front, oldest first. */
  shiftMany(count: number): T[] {
    const taken = Math.min(count, this.#length);
    const result = new Array<T>(taken);
    for (let index = 0; index < taken; index++) result[index] = this.shift() as T;
    return result;
  }

  /** Empties the buffer and returns how many items it held. */
  clear(): number {
    const cleared = this.#length;
    this.#items = new Array<T | undefined>(16);
    this.#head = 0;
    this.#length = 0;
    return cleared;
  }

  /** The items, oldest first, left in place. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let index = 0; index < this.#length; index++) {
      yield this.#items[(this.#head + index) & (this.#items.length - 1)] as T;
    }
  }

  #grow(): void {
    const grown = new Array<T | undefined>(this.#items.length * 2);
    for (let index = 0; index < this.#length; index++) {
      grown[index] = this.#items[(this.#head + index) & (this.#items.length - 1)];
    }
    this.#items = grown;
    this.#head = 0;
  }
}
