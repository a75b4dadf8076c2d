import {
  CodecId,
  chooseCodec,
  decodeBatch,
  encodeBatch,
  loadSuperjson,
  logTransportWarning,
  superjsonIfLoaded,
  type CodecName,
  type Inspection,
} from '@prodcon/ipc';

/** One frame of items on its way into the stream: the writer's sequence number of its first item, and the bytes. */
export interface OutgoingEntry {
  first: number;
  n: number;
  codec: number;
  payload: string | Buffer;
}

/** One stream entry as a host reads it. */
export interface ReadEntry {
  id: string;
  n: number;
  codec: number;
  payload: Buffer;
  writer: string;
  /** The writer's sequence number of the entry's last item. */
  seq: number;
}

/** An entry aims at this size (as a socket frame does); larger values go one per entry. */
const TARGET_ENTRY_BYTES = 256 * 1024;
/** Most items in one entry: a pool member takes a whole entry, so entries must stay small next to the capacity. */
const MAX_ITEMS_PER_ENTRY = 256;

/**
 * Items per entry for a queue of `capacity`, given the bytes an item took
 * last time: at most a quarter of the capacity (so that one entry never
 * holds a queue's room alone), at most 256, at most ~256 KiB.
 */
export function itemsPerEntry(capacity: number, bytesPerItem: number): number {
  const bySize = bytesPerItem > 0 ? Math.floor(TARGET_ENTRY_BYTES / bytesPerItem) : MAX_ITEMS_PER_ENTRY;
  return Math.max(1, Math.min(MAX_ITEMS_PER_ENTRY, Math.floor(capacity / 4), bySize));
}

/**
 * Encodes `values` (already inspected as a whole: `inspection`) into entries
 * of at most `perEntry` items, one codec call per entry, numbering items from
 * `firstSeq`.
 */
export function encodeEntries(
  values: readonly unknown[],
  options: { codec: CodecName; inspection: Inspection; perEntry: number; firstSeq: number; label: string },
): OutgoingEntry[] {
  const codecId = chooseCodec(options.codec, options.inspection, values.length);
  const entries: OutgoingEntry[] = [];
  for (let start = 0; start < values.length; start += options.perEntry) {
    const slice = values.slice(start, start + options.perEntry);
    const { codecId: sentAs, bytes } = encodeBatch(slice, codecId, options.label);
    entries.push({
      first: options.firstSeq + start,
      n: slice.length,
      codec: sentAs,
      payload: typeof bytes === 'string' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    });
  }
  return entries;
}

/** Bytes an entry's payload takes. */
export function entryBytes(entry: OutgoingEntry): number {
  return typeof entry.payload === 'string' ? Buffer.byteLength(entry.payload) : entry.payload.byteLength;
}

type RawEntry = [Buffer, Buffer[]];

/** The entries of an XREADGROUP reply (buffers), in stream order; null (nothing arrived) is no entry. */
export function parseRead(reply: unknown): ReadEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: ReadEntry[] = [];
  for (const [, streamEntries] of reply as Array<[Buffer, RawEntry[]]>) {
    for (const [id, fields] of streamEntries) {
      if (!fields) continue; // an entry deleted while pending reads back as nil
      const entry: Partial<ReadEntry> = { id: id.toString(), n: 1 }; // a lossy entry says nothing of n: one item
      for (let index = 0; index < fields.length; index += 2) {
        const value = fields[index + 1];
        switch (fields[index].toString()) {
          case 'n':
            entry.n = Number(value.toString());
            break;
          case 'c':
            entry.codec = Number(value.toString());
            break;
          case 'p':
            entry.payload = value;
            break;
          case 'w':
            entry.writer = value.toString();
            break;
          case 'q':
            entry.seq = Number(value.toString());
            break;
        }
      }
      entries.push(entry as ReadEntry);
    }
  }
  return entries;
}

/** Orders two stream ids ('ms-seq'): negative when a comes first. */
export function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs !== bMs ? aMs - bMs : aSeq - bSeq;
}

/**
 * The values of an entry read from `queue`'s stream; none (with a warning)
 * when its payload cannot be decoded. A promise only while superjson loads
 * (the first superjson entry): reads come by the ten thousand.
 */
export function decodeEntry(entry: ReadEntry, queue: string): unknown[] | Promise<unknown[]> {
  if (entry.codec === CodecId.superjson && !superjsonIfLoaded()) return loadSuperjson().then(() => decodeEntry(entry, queue));
  try {
    return decodeBatch(entry.codec, entry.payload);
  } catch (error) {
    logTransportWarning(`queue '${queue}': entry ${entry.id} dropped: ${(error as Error).message}`);
    return [];
  }
}
