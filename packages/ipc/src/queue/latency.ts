import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * Queue latency, measured per frame rather than per item: a remote writer
 * sends a `stamp` frame (its send time on the system's monotonic clock, which
 * every process on the machine shares) right before each `items` frame; the
 * host remembers where that frame's items sit in its ring, and when the
 * consumer takes the last of them, records now − stamp. Items that leave the
 * ring otherwise (dropped, cleared) record nothing. Local puts carry no stamp
 * and are skipped.
 *
 * The cost is one entry per frame and one clock read per `take` that
 * finishes a frame: nothing per item.
 */
export class FrameLatency {
  /** Nanoseconds from a writer sending a frame to the consumer taking its last item. */
  readonly histogram: RecordableHistogram = createHistogram();
  /** Each frame still (partly) in the ring: the position after its last item, and its stamp (0n: none). */
  #ends: number[] = [];
  #stamps: bigint[] = [];
  #first = 0;
  /** Items that ever entered the ring, and that ever left it. */
  #entered = 0;
  #left = 0;
  /** The stamp each writer sent last, waiting for its items frame. */
  #pending = new WeakMap<object, bigint>();

  /** A writer's stamp frame arrived: it belongs to that writer's next items frame. */
  stamp(writer: object, body: Uint8Array): void {
    if (body.byteLength < 8) return;
    const view = new DataView(body.buffer, body.byteOffset, 8);
    this.#pending.set(writer, view.getBigUint64(0));
  }

  /** `count` items entered the ring, from `writer` (undefined: a local put, never stamped). */
  entered(count: number, writer?: object): void {
    this.#entered += count;
    const stamp = writer === undefined ? undefined : this.#pending.get(writer);
    if (stamp !== undefined) this.#pending.delete(writer!);
    const last = this.#ends.length - 1;
    // Unstamped runs of items merge into one entry: local puts cost nothing per item here.
    if (stamp === undefined && last >= this.#first && this.#stamps[last] === 0n) {
      this.#ends[last] = this.#entered;
      return;
    }
    this.#ends.push(this.#entered);
    this.#stamps.push(stamp ?? 0n);
  }

  /** `count` items left the ring; `taken`: by the consumer (a frame they finish records its latency). */
  left(count: number, taken: boolean): void {
    if (count <= 0) return;
    this.#left += count;
    let now = 0n;
    while (this.#first < this.#ends.length && this.#ends[this.#first] <= this.#left) {
      const stamp = this.#stamps[this.#first];
      if (taken && stamp !== 0n) {
        if (now === 0n) now = process.hrtime.bigint();
        this.histogram.record(Math.max(1, Number(now - stamp)));
      }
      this.#first++;
    }
    // Compact now and then, not on every frame.
    if (this.#first > 1024 && this.#first * 2 > this.#ends.length) {
      this.#ends = this.#ends.slice(this.#first);
      this.#stamps = this.#stamps.slice(this.#first);
      this.#first = 0;
    }
  }
}

/** The body of a stamp frame: now, on the monotonic clock every process of the machine shares (ns). */
export function stampNow(): Buffer {
  const body = Buffer.allocUnsafe(8);
  body.writeBigUInt64BE(process.hrtime.bigint(), 0);
  return body;
}
