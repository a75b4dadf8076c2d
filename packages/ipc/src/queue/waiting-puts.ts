import type { CodecName } from '../codecs/codec.js';
import type { Inspection } from '../codecs/inspect.js';
import { RingBuffer } from '../util/ring-buffer.js';
import { inspectBatch } from '../wire/outbox.js';

/** What WaitingPuts needs of a sink: batches sent by credit, and one listener for when credit comes. */
export interface BatchSink {
  /** Sends what credit allows of `values` from `from` on; how many, or `refused` (the rest counted refused). */
  sendMany(values: readonly unknown[], from: number, inspection: Inspection): number | 'refused';
  /** Called when a send might now succeed (see PoolWriter.onWritable). */
  onWritable: (() => void) | undefined;
}

/** What a put that is settled at once returns: shared (a settled promise never changes), so such puts allocate none. */
const ACCEPTED = Promise.resolve(true);
const REFUSED = Promise.resolve(false);

/** Single puts that wait together in one entry hold at most this many values (the entry is freed once all went). */
const GROUP_LIMIT = 1024;

/**
 * Values waiting for credit, in order: one put call's values (`resolve`), or
 * consecutive single-value puts grouped (`resolvers`, one per value), so that
 * un-awaited puts of one item each cost one entry per group, not one each,
 * and are sent in one pass when credit comes.
 */
interface Waiting {
  readonly values: unknown[];
  /** Covers every value of `values` (groups: merged as values join). */
  readonly inspection: Inspection;
  /** The first value not sent yet. */
  next: number;
  readonly resolve?: (accepted: boolean) => void;
  readonly resolvers?: Array<(accepted: boolean) => void>;
}

/**
 * The puts of one process into a lossless sink, in call order: a put that
 * finds credit for all its values resolves at once; else it waits in a FIFO,
 * and each time credit comes only the head of the FIFO is served, as far as
 * the credit goes. One listener on the sink and one promise per call, however
 * many puts wait: no put subscribes to anything, and none is woken for credit
 * that another put will take. Values keep their call order, across calls.
 */
export class WaitingPuts {
  readonly #sink: BatchSink;
  readonly #codec: CodecName;
  readonly #label: string;
  readonly #waiting = new RingBuffer<Waiting>();
  #pumping = false;

  constructor(sink: BatchSink, options: { codec?: CodecName; label?: string } = {}) {
    this.#sink = sink;
    this.#codec = options.codec ?? 'auto';
    this.#label = options.label ?? 'item';
    sink.onWritable = () => this.#pump();
  }

  /** Entries waiting for credit (a group of single puts counts once). */
  get length(): number {
    return this.#waiting.length;
  }

  /**
   * Puts `values`, in order, behind every put still waiting. Resolves true
   * once all were accepted, false when the sink refused them (no member left,
   * ended): none of a refused call's values that were not sent yet is sent.
   * @throws CodecError, SizeError (a rejection) when a value cannot cross: then none of them is put.
   */
  put(values: readonly unknown[]): Promise<boolean> {
    let inspection: Inspection;
    try {
      inspection = inspectBatch(values, this.#codec, this.#label);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (values.length === 0) return ACCEPTED;
    let next = 0;
    if (this.#waiting.length === 0) {
      const sent = this.#sink.sendMany(values, 0, inspection);
      if (sent === 'refused') return REFUSED;
      if (sent === values.length) return ACCEPTED;
      next = sent;
    }
    if (values.length === 1) return this.#waitAlone(values[0], inspection);
    return new Promise((resolve) => this.#waiting.push({ values: values.slice(), inspection, next, resolve }));
  }

  /** A single put that must wait: it joins the group at the tail of the FIFO, or starts one. */
  #waitAlone(value: unknown, inspection: Inspection): Promise<boolean> {
    const tail = this.#waiting.length > 0 ? this.#waiting.peekLast() : undefined;
    let group = tail?.resolvers && tail.values.length < GROUP_LIMIT ? tail : undefined;
    if (group) {
      const merged = group.inspection;
      if (inspection.kind > merged.kind) merged.kind = inspection.kind;
      merged.stringChars += inspection.stringChars;
      merged.units += inspection.units;
      group.values.push(value);
    } else {
      group = { values: [value], inspection: { ...inspection }, next: 0, resolvers: [] };
      this.#waiting.push(group);
    }
    const resolvers = group.resolvers!;
    return new Promise((resolve) => resolvers.push(resolve));
  }

  /** Credit came (or the sink changed): serves the head of the FIFO as far as it goes. */
  #pump(): void {
    if (this.#pumping) return; // a send that wakes the sink again is already being served here
    this.#pumping = true;
    try {
      while (this.#waiting.length > 0) {
        const head = this.#waiting.peek()!;
        const sent = this.#sink.sendMany(head.values, head.next, head.inspection);
        if (sent === 'refused') {
          this.#refuseAll();
          return;
        }
        settle(head, head.next, head.next + sent, true);
        head.next += sent;
        if (head.next < head.values.length) return; // no credit left: wait for the next call
        this.#waiting.shift();
        head.resolve?.(true);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** The sink refuses: every waiting put resolves false, their unsent values counted refused by the sink. */
  #refuseAll(): void {
    const first = this.#waiting.shift()!;
    const waiting = [first, ...this.#waiting.shiftMany(this.#waiting.length)];
    for (const entry of waiting) {
      if (entry !== first) this.#sink.sendMany(entry.values, entry.next, entry.inspection); // refused too: counts them
      settle(entry, entry.next, entry.values.length, false);
      entry.resolve?.(false);
    }
  }
}

/** Resolves the single puts of a group whose values from..to were sent (or refused). */
function settle(entry: Waiting, from: number, to: number, accepted: boolean): void {
  const resolvers = entry.resolvers;
  if (!resolvers) return;
  for (let index = from; index < to; index++) resolvers[index](accepted);
}
