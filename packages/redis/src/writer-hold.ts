import {
  PLAIN,
  RingBuffer,
  chooseCodec,
  codecNeedsLoading,
  inspectValue,
  mergeInspection,
  loadSuperjson,
  type CodecName,
  type Inspection,
} from '@prodcon/ipc';
import { encodeEntries, entryBytes, itemsPerEntry, type OutgoingEntry } from './entries.js';

const MAX_ENTRIES_PER_CALL = 64;
const MAX_CALL_BYTES = 1024 * 1024;
const MAX_LOSSY_ITEMS_PER_CALL = 2048;

/** How a writer's values become entries: its codec, label, the queue's capacity and loss policy. */
export interface HoldOptions {
  codec: CodecName;
  label: string;
  capacity: number;
  lossy: boolean;
}

/**
 * What a writer holds and has not had admitted yet: values accepted
 * (pending), and entries given back by the engine (no room, or no host yet),
 * which go first. Values are numbered as they are encoded: the writer's
 * sequence numbers, which make a re-sent call harmless.
 */
export class WriterHold {
  #options: HoldOptions;
  #pending = new RingBuffer<unknown>();
  #inspection: Inspection = { kind: PLAIN, stringChars: 0, units: 0 };
  /** Values walked into #inspection (a lossy writer drops some unsent: the average is what counts). */
  #inspected = 0;
  #retry: OutgoingEntry[] = [];
  #retryItems = 0;
  #seq = 0;
  #bytesPerItem = 0;

  constructor(options: HoldOptions) {
    this.#options = options;
  }

  /** Items held: pending, and in entries given back. */
  get items(): number {
    return this.#pending.length + this.#retryItems;
  }

  get pending(): number {
    return this.#pending.length;
  }

  /**
   * Takes a value; `inspection` when the caller walked it already.
   * @throws CodecError (before taking it) when the value cannot cross a process boundary.
   */
  add(value: unknown, inspection?: Inspection): void {
    if (inspection) {
      mergeInspection(this.#inspection, inspection);
    } else {
      inspectValue(value, this.#options.label, this.#inspection);
    }
    this.#inspected++;
    this.#pending.push(value);
  }

  /** Drops the oldest items beyond `capacity` (entries given back first); returns how many. */
  bound(capacity: number): number {
    let excess = this.items - capacity;
    let dropped = 0;
    while (excess > 0 && this.#retry.length > 0) {
      const entry = this.#retry.shift()!;
      this.#retryItems -= entry.n;
      excess -= entry.n;
      dropped += entry.n;
    }
    while (excess-- > 0 && this.#pending.length > 0) {
      this.#pending.shift();
      dropped++;
    }
    return dropped;
  }

  /** Entries back from a call that did not place them: they go first next time, in order. */
  giveBack(entries: OutgoingEntry[]): void {
    if (entries.length === 0) return;
    this.#retry.unshift(...entries);
    for (const entry of entries) this.#retryItems += entry.n;
  }

  /** Drops everything held; returns how many items. */
  clear(): number {
    const items = this.items;
    this.#pending.clear();
    this.#retry = [];
    this.#retryItems = 0;
    this.#resetInspection();
    return items;
  }

  /**
   * What the next call carries: entries given back (first), then new ones
   * from the pending values, within a call's limits (64 entries, or 2048
   * lossy items, about 1 MiB).
   */
  async next(): Promise<OutgoingEntry[]> {
    const { lossy, capacity, codec, label } = this.#options;
    const entries = this.#retry.splice(0, lossy ? MAX_LOSSY_ITEMS_PER_CALL : MAX_ENTRIES_PER_CALL);
    for (const entry of entries) this.#retryItems -= entry.n;
    const perEntry = lossy ? 1 : itemsPerEntry(capacity, this.#bytesPerItem);
    const room = lossy ? MAX_LOSSY_ITEMS_PER_CALL - entries.length : (MAX_ENTRIES_PER_CALL - entries.length) * perEntry;
    const byBytes = this.#bytesPerItem > 0 ? Math.floor(MAX_CALL_BYTES / this.#bytesPerItem) : room;
    const count = Math.min(this.#pending.length, room, Math.max(1, byBytes));
    if (count <= 0) return entries;
    const values = this.#pending.shiftMany(count);
    const share = count / Math.max(count, this.#inspected);
    const { kind, shape } = this.#inspection; // every pending value has the shape, if any: so has this share of them
    const inspection = { kind, shape, stringChars: this.#inspection.stringChars * share, units: this.#inspection.units * share };
    if (this.#pending.length === 0) this.#resetInspection();
    if (codecNeedsLoading(chooseCodec(codec, inspection, values.length))) await loadSuperjson();
    const made = encodeEntries(values, { codec, inspection, perEntry, firstSeq: this.#seq + 1, label });
    this.#seq += values.length;
    let bytes = 0;
    for (const entry of made) bytes += entryBytes(entry);
    this.#bytesPerItem = bytes / values.length;
    entries.push(...made);
    return entries;
  }

  #resetInspection(): void {
    this.#inspection = { kind: PLAIN, stringChars: 0, units: 0 };
    this.#inspected = 0;
  }
}
