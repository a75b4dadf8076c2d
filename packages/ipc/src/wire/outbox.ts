import { chooseCodec, codecNeedsLoading, encodeBatch, payloadBytes, type CodecName, type EncodedBatch, type WireCodecId } from '../codecs/codec.js';
import { checkSize, tooLarge } from '../codecs/size.js';
import { loadSuperjson } from '../codecs/superjson-loader.js';
import { PLAIN, inspectValue, mergeInspection, type Inspection } from '../codecs/inspect.js';
import type { FramedConnection } from './connection.js';
import { FRAME_HEADER_BYTES, maxFrameBytes } from './framing.js';
import { logTransportWarning } from './stats.js';
import { RingBuffer } from '../util/ring-buffer.js';
import { Signal } from '../util/signal.js';

/** A frame aims at this size; values larger than it travel one per frame. */
export const TARGET_FRAME_BYTES = 256 * 1024;
/** The first frame, before any size is known, holds at most this many values. */
const INITIAL_VALUES_PER_FRAME = 1024;
/** Values at least this large go one per frame: batching them only adds copies. */
const LARGE_VALUE_BYTES = 16 * 1024;

/** What an Outbox sends (frame type, codec), how it names values in errors, and its bound when lossy. */
export interface OutboxOptions {
  /** The frame type that carries this outbox's batches. */
  frameType: number;
  codec?: CodecName;
  /** Names the values in errors: "message", "result of work", "item". */
  label: string;
  /**
   * Lossy outboxes keep at most this many values waiting for the socket and
   * drop the oldest beyond it (counted in `dropped`). Lossless outboxes have no
   * bound of their own: their writers bound them with credits.
   */
  lossyCapacity?: number;
  /** Called right before each frame of values is written (a queue writer stamps it there). */
  beforeFrame?: (connection: FramedConnection) => void;
}

/**
 * Collects values bound for one connection and sends whatever accumulated as
 * one frame, once per event-loop turn or when the socket drains. At low rates
 * each value leaves on the turn it was pushed; under load frames grow, up to
 * about TARGET_FRAME_BYTES. There is no timer on this path.
 */
export class Outbox {
  readonly frameType: number;
  readonly codec: CodecName;
  readonly label: string;
  readonly lossyCapacity: number | undefined;
  readonly #beforeFrame: ((connection: FramedConnection) => void) | undefined;
  #written = 0;
  /** Values this outbox dropped (lossy only): the oldest, when the socket could not keep up. */
  dropped = 0;
  /** Values dropped because they could not fit in a frame (see #writeFrames). */
  refused = 0;
  #connection: FramedConnection | undefined;
  #pending = new RingBuffer<unknown>();
  #inspection: Inspection = { kind: PLAIN, stringChars: 0, units: 0 };
  #scheduled = false;
  #waitingForDrain = false;
  #bytesPerValue = 0;
  #idle = new Signal();

  constructor(connection: FramedConnection | undefined, options: OutboxOptions) {
    this.#connection = connection;
    this.frameType = options.frameType;
    this.codec = options.codec ?? 'auto';
    this.label = options.label;
    this.lossyCapacity = options.lossyCapacity;
    this.#beforeFrame = options.beforeFrame;
  }

  /** Values waiting to be written. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Values written on the current connection (since it was attached). */
  get written(): number {
    return this.#written;
  }

  /** Attaches (or replaces) the connection; pending values go out on it. */
  attach(connection: FramedConnection | undefined): void {
    this.#connection = connection;
    this.#written = 0;
    this.#waitingForDrain = false;
    if (connection && this.#pending.length > 0) this.#schedule();
  }

  /**
   * Checks and queues one value. Pass `inspection` when the value was already
   * inspected (a producer sending one item to several queues walks it once).
   * @throws CodecError at once when the value holds a function or symbol;
   *   SizeError when it cannot fit in one frame.
   */
  push(value: unknown, inspection?: Inspection): void {
    const batch = this.#inspection;
    if (inspection) {
      mergeInspection(batch, inspection);
      checkSize(value, inspection, this.codec, this.label);
    } else {
      const stringChars = batch.stringChars;
      const units = batch.units;
      inspectValue(value, this.label, batch);
      checkSize(value, { kind: batch.kind, stringChars: batch.stringChars - stringChars, units: batch.units - units }, this.codec, this.label);
    }
    this.#pending.push(value);
    if (this.lossyCapacity !== undefined && this.#pending.length > this.lossyCapacity) {
      this.#pending.shift();
      this.dropped++;
    }
    this.#schedule();
  }

  /**
   * Queues `values[from..to)`, which were inspected and size-checked together
   * (see inspectBatch): `inspection` covers exactly these values. No walk here.
   */
  pushMany(values: readonly unknown[], from: number, to: number, inspection: Inspection): void {
    mergeInspection(this.#inspection, inspection); // the shape too: a batch of flat records goes as columns
    const pending = this.#pending;
    for (let index = from; index < to; index++) pending.push(values[index]);
    if (this.lossyCapacity !== undefined) {
      while (pending.length > this.lossyCapacity) {
        pending.shift();
        this.dropped++;
      }
    }
    this.#schedule();
  }

  /** Drops everything pending and returns how many values that was. */
  clear(): number {
    const cleared = this.#pending.clear();
    this.#resetInspection();
    this.#notifyIdle();
    return cleared;
  }

  /** Resolves when nothing is pending (everything handed to the socket), or the connection is gone. */
  idle(): Promise<void> {
    if (this.#pending.length === 0 || !this.#connection || this.#connection.closed) return Promise.resolve();
    return this.#idle.wait();
  }

  /** Writes what can be written now (also called by the scheduler). */
  flush(): void {
    this.#scheduled = false;
    const connection = this.#connection;
    if (!connection || connection.closed) {
      this.#idle.notify(); // nothing can be sent: waiters must not wait for it
      return;
    }
    const pendingAtStart = this.#pending.length;
    while (this.#pending.length > 0) {
      if (connection.needsDrain) {
        this.#awaitDrain(connection);
        return;
      }
      const codecId = chooseCodec(this.codec, this.#inspection, pendingAtStart);
      if (codecNeedsLoading(codecId)) {
        // superjson loads on first need; flush again once it is there (order is kept: nothing left the queue).
        this.#waitingForDrain = true;
        void loadSuperjson().then(() => {
          this.#waitingForDrain = false;
          this.flush();
        });
        return;
      }
      const count = this.#valuesForNextFrame();
      this.#writeFrames(connection, codecId, this.#pending.shiftMany(count));
    }
    this.#resetInspection();
    this.#notifyIdle();
  }

  /**
   * Encodes `values` as one frame; a frame over the limit is split in two
   * (values of very different sizes can fool the estimate that sized it).
   * A single value over it was refused when pushed, unless it could not be
   * measured then (superjson not loaded): it is dropped here, counted and logged.
   */
  #writeFrames(connection: FramedConnection, codecId: WireCodecId, values: unknown[]): void {
    const { codecId: sentAs, bytes } = encodeShared(values, codecId, this.label);
    const size = payloadBytes(bytes) + FRAME_HEADER_BYTES + 1;
    if (size > maxFrameBytes()) {
      if (values.length > 1) {
        const half = values.length >> 1;
        this.#writeFrames(connection, sentAs, values.slice(0, half));
        this.#writeFrames(connection, sentAs, values.slice(half));
        return;
      }
      this.refused++;
      logTransportWarning(`${tooLarge(this.label, size, maxFrameBytes()).message}: dropped`);
      return;
    }
    this.#bytesPerValue = bytes.length / values.length; // string length or byte length: an estimate either way
    this.#beforeFrame?.(connection);
    connection.writeDataFrame(this.frameType, sentAs, bytes);
    this.#written += values.length;
  }

  #valuesForNextFrame(): number {
    const available = this.#pending.length;
    if (this.#bytesPerValue === 0) return Math.min(available, INITIAL_VALUES_PER_FRAME);
    if (this.#bytesPerValue >= LARGE_VALUE_BYTES) return 1;
    return Math.max(1, Math.min(available, Math.floor(TARGET_FRAME_BYTES / this.#bytesPerValue)));
  }

  #schedule(): void {
    if (this.#scheduled || this.#waitingForDrain) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  #awaitDrain(connection: FramedConnection): void {
    if (this.#waitingForDrain) return;
    this.#waitingForDrain = true;
    void connection.drained().then(() => {
      this.#waitingForDrain = false;
      if (this.#connection === connection) this.flush();
    });
  }

  #resetInspection(): void {
    this.#inspection = { kind: PLAIN, stringChars: 0, units: 0 };
  }

  #notifyIdle(): void {
    if (this.#pending.length === 0) this.#idle.notify();
  }
}

/**
 * Walks every value of a batch once, refusing (with its index in the batch)
 * one that cannot cross or cannot fit in a frame, and returns what the walk
 * found for the whole batch: what `Outbox.pushMany` takes. A batch that
 * throws was refused whole, before any of it was queued.
 * @throws CodecError, SizeError as Outbox.push does.
 */
export function inspectBatch(values: readonly unknown[], codec: CodecName, label: string): Inspection {
  if (values.length === 1) {
    const inspection = inspectValue(values[0], label);
    checkSize(values[0], inspection, codec, label);
    return inspection;
  }
  const batch: Inspection = { kind: PLAIN, stringChars: 0, units: 0 };
  const one: Inspection = { kind: PLAIN, stringChars: 0, units: 0 };
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    one.kind = PLAIN;
    one.stringChars = 0;
    one.units = 0;
    one.shape = undefined;
    try {
      inspectValue(value, label, one);
    } catch {
      // Again, to name the value in the error: its label is built only then, not for every value (it was
      // ~5% of the main process's time in the pool job).
      inspectValue(value, `${label}[${index}]`, one);
    }
    checkSize(value, one, codec, label);
    mergeInspection(batch, one);
  }
  return batch;
}

/** The part of a batch's inspection that `count` of its `total` values take (an even share of the size estimate). */
export function shareOf(inspection: Inspection, count: number, total: number): Inspection {
  if (count === total) return inspection;
  const share = count / total;
  return {
    kind: inspection.kind,
    stringChars: Math.ceil(inspection.stringChars * share),
    units: Math.ceil(inspection.units * share),
    shape: inspection.shape,
  };
}

/**
 * The last batch encoded in this turn. A producer with several subscribers
 * puts the same items in each writer's outbox, and the outboxes flush one
 * after the other in the same turn: the second finds the same values (the
 * same objects, in the same order) and reuses the bytes instead of encoding
 * them again.
 */
let lastEncoded: (EncodedBatch & { values: unknown[]; asked: WireCodecId }) | undefined;
let forgetScheduled = false;

function encodeShared(values: unknown[], codecId: WireCodecId, label: string): EncodedBatch {
  const last = lastEncoded;
  if (last && last.asked === codecId && sameValues(last.values, values)) return last;
  const encoded = encodeBatch(values, codecId, label);
  lastEncoded = { values, asked: codecId, codecId: encoded.codecId, bytes: encoded.bytes };
  if (!forgetScheduled) {
    forgetScheduled = true;
    setImmediate(() => {
      forgetScheduled = false;
      lastEncoded = undefined;
    });
  }
  return encoded;
}

function sameValues(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
