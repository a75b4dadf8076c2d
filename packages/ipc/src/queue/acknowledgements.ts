import { RingBuffer } from '../util/ring-buffer.js';

/** `count` consecutive items from one writer. */
interface Run<W> {
  writer: W | undefined;
  count: number;
}

/**
 * Which writer sent each item a lossless host holds, from its arrival until
 * it is acknowledged (consumed, or dropped and counted here), so that each
 * writer can be told how many of its items it may forget. Items are kept as
 * runs of one writer, so one writer costs the same whatever the rate. Items
 * from writers that need no answer (in this process) are recorded as
 * `undefined`.
 */
export class Acknowledgements<W> {
  /** The writers of the queued items, in queue order... */
  #queued = new RingBuffer<Run<W>>();
  /** ...and of the items taken and not yet acknowledged, in the order taken. */
  #taken = new RingBuffer<Run<W>>();
  #unacknowledged = 0;

  /** Items taken and not yet acknowledged. */
  get unacknowledged(): number {
    return this.#unacknowledged;
  }

  /** `count` items from `origin` joined the back of the queue. */
  queued(origin: W | undefined, count: number): void {
    append(this.#queued, origin, count);
  }

  /**
   * The oldest `count` queued items were dropped before anyone took them
   * (cleared, or discarded at a stop): they are settled at once, whatever is
   * still being worked. Returns how many each writer may forget.
   */
  dropQueued(count: number): Map<W, number> {
    const perWriter = new Map<W, number>();
    let left = count;
    while (left > 0) {
      const run = this.#queued.peek();
      if (!run) break;
      const dropped = Math.min(left, run.count);
      if (run.writer !== undefined) perWriter.set(run.writer, (perWriter.get(run.writer) ?? 0) + dropped);
      run.count -= dropped;
      if (run.count === 0) this.#queued.shift();
      left -= dropped;
    }
    return perWriter;
  }

  /** The oldest `count` queued items were taken. */
  taken(count: number): void {
    let left = count;
    while (left > 0) {
      const run = this.#queued.peek();
      if (!run) break;
      const moved = Math.min(left, run.count);
      append(this.#taken, run.writer, moved);
      run.count -= moved;
      if (run.count === 0) this.#queued.shift();
      left -= moved;
      this.#unacknowledged += moved;
    }
  }

  /**
   * The oldest `count` taken items were consumed. Returns how many each
   * writer may forget, writers in the order of their oldest acknowledged item.
   */
  acknowledge(count: number): Map<W, number> {
    const perWriter = new Map<W, number>();
    let left = count;
    while (left > 0) {
      const run = this.#taken.peek();
      if (!run) break;
      const done = Math.min(left, run.count);
      if (run.writer !== undefined) perWriter.set(run.writer, (perWriter.get(run.writer) ?? 0) + done);
      run.count -= done;
      if (run.count === 0) this.#taken.shift();
      left -= done;
      this.#unacknowledged -= done;
    }
    return perWriter;
  }
}

/** Adds `count` items of `writer` at the back of `runs`, extending the last run when it is the same writer's. */
function append<W>(runs: RingBuffer<Run<W>>, writer: W | undefined, count: number): void {
  if (count <= 0) return;
  const last = runs.length > 0 ? runs.peekLast() : undefined;
  if (last && last.writer === writer) last.count += count;
  else runs.push({ writer, count });
}
