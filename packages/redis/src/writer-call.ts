import type { DropCounts } from '@prodcon/ipc';
import { dropList, parseDrops } from './drops.js';
import type { OutgoingEntry } from './entries.js';

/** What admit and append answer (see lua/writer-scripts.ts). */
export interface WriterReply {
  status: 'ready' | 'notReady' | 'unbound' | 'lapsed' | 'closing' | 'ended' | 'nometa';
  /** Entries of the call that are in the stream now (the first ones, in order). */
  admitted: number;
  /** Lossless: the free room after the call. Lossy: items trimmed (dropped) by it. */
  room: number;
  epoch: string;
  /** The engine's drops by cause (every process's). */
  drops: DropCounts;
  /** The queue drains: a registered writer flushes what it holds, then ends. */
  closing: boolean;
  /** After a reset: the sequence number of this writer's last item a host read ('' when not reset). */
  resetSeq: string;
}

export function parseWriterReply(reply: unknown): WriterReply {
  const [status, admitted, room, epoch, drops, closing, resetSeq] = reply as [string, number, number, string, unknown, number, string];
  return {
    status: status as WriterReply['status'],
    admitted: Number(admitted),
    room: Number(room),
    epoch: String(epoch),
    drops: parseDrops(drops),
    closing: Number(closing) === 1,
    resetSeq: String(resetSeq ?? ''),
  };
}

/** The writer's part of every call: who, its lease, and the drops it counted itself since the last call. */
export interface WriterArgs {
  writer: string;
  leaseMs: number;
  drops: Readonly<DropCounts>;
}

/** ARGV (after the channel) of the lossless admit script. */
export function admitArgs(head: WriterArgs, entries: readonly OutgoingEntry[]): Array<string | number | Buffer> {
  const args: Array<string | number | Buffer> = [head.writer, head.leaseMs, dropList(head.drops), entries.length];
  for (const entry of entries) args.push(entry.first, entry.n, entry.codec, entry.payload);
  return args;
}

/**
 * ARGV (after the channel) of the lossy append script: entries of one item
 * each, numbered consecutively, in one codec: the payloads' byte lengths,
 * then the payloads end to end.
 */
export function appendArgs(head: WriterArgs, entries: readonly OutgoingEntry[]): Array<string | number | Buffer> {
  const lengths: number[] = [];
  const payloads: Buffer[] = [];
  for (const entry of entries) {
    const payload = typeof entry.payload === 'string' ? Buffer.from(entry.payload) : entry.payload;
    lengths.push(payload.byteLength);
    payloads.push(payload);
  }
  return [head.writer, head.leaseMs, dropList(head.drops), entries.length, entries[0]?.first ?? 0, entries[0]?.codec ?? 1, lengths.join(','), Buffer.concat(payloads)];
}

/** Items held in entries. */
export function itemsIn(entries: readonly OutgoingEntry[]): number {
  let items = 0;
  for (const entry of entries) items += entry.n;
  return items;
}
