import type { CodecName } from '../codecs/codec.js';
import type { ConnectError } from '../errors.js';
import type { Inspection } from '../codecs/inspect.js';
import type { PutOutcome, QueueSink, WriterState } from './sink.js';
import { QueueWriter } from './writer.js';
import { RingBuffer } from '../util/ring-buffer.js';
import { Signal } from '../util/signal.js';
import { addDrops, noDrops, totalDrops, type DropCause, type DropCounts } from './drops.js';

/** Where one member of a pool hosts its share of the pool's queue. */
export interface PoolMemberAddress {
  memberId: string;
  /** The member's own queue (its host knows it by this id). */
  queueId: string;
  /** As in QueueWriter.bind: a socket path, `pending` (starting), or null (not running). */
  address: string | 'pending' | null;
}

/** How a PoolWriter names its queue and itself, and how it encodes values. */
export interface PoolWriterOptions {
  queueId: string;
  /** Capacity of each member's queue. */
  capacity: number;
  writerName: string;
  codec?: CodecName;
  label?: string;
  /** A member's writer gave up reaching its host (see QueueWriterOptions.onUnreachable). */
  onUnreachable?: (error: ConnectError) => void;
  /** See QueueWriterOptions.connectRetryMs. */
  connectRetryMs?: number;
}

/**
 * Writes into a pool of competing consumers: each value goes to exactly one
 * member, the one holding the most credits. Members that consume faster
 * return credits faster, so load follows capacity instead of being dealt out
 * round-robin. Every value is kept until its member acknowledges it as
 * consumed; if a member dies first, its unacknowledged values go to the other
 * members (at-least-once), ahead of new values.
 */
export class PoolWriter implements QueueSink {
  readonly queueId: string;
  readonly lossy = false;
  readonly capacity: number;
  readonly writerName: string;
  accepted = 0;
  /** Puts refused because no member runs, items no member was left to take, and the drops of members that left. */
  readonly #ownDrops: DropCounts = noDrops();
  /** Values handed to another member after theirs died. */
  redelivered = 0;
  #members = new Map<string, QueueWriter>();
  #redeliver = new RingBuffer<unknown>();
  #codec: CodecName | undefined;
  #label: string | undefined;
  #onUnreachable: ((error: ConnectError) => void) | undefined;
  #connectRetryMs: number | undefined;
  #finished = false;
  #writable = new Signal();
  #rotation = 0;
  #redeliveryScheduled = false;

  constructor(options: PoolWriterOptions) {
    this.queueId = options.queueId;
    this.capacity = options.capacity;
    this.writerName = options.writerName;
    this.#codec = options.codec;
    this.#label = options.label;
    this.#onUnreachable = options.onUnreachable;
    this.#connectRetryMs = options.connectRetryMs;
  }

  /** Applies the pool's current members: new ones get a writer, departed ones hand their values over. */
  bind(members: PoolMemberAddress[]): void {
    if (this.#finished) return;
    const listed = new Set<string>();
    for (const member of members) {
      listed.add(member.memberId);
      let writer = this.#members.get(member.memberId);
      if (!writer) {
        writer = new QueueWriter({
          queueId: member.queueId,
          lossy: false,
          capacity: this.capacity,
          writerName: this.writerName,
          codec: this.#codec,
          label: this.#label,
          retain: true,
          onLost: (values) => this.#takeBack(values),
          onUnreachable: this.#onUnreachable,
          connectRetryMs: this.#connectRetryMs,
        });
        this.#members.set(member.memberId, writer);
      }
      writer.bind(member.address ?? undefined);
    }
    for (const [memberId, writer] of this.#members) {
      if (listed.has(memberId)) continue;
      this.#members.delete(memberId);
      writer.bind(undefined); // hands its unacknowledged values over through onLost
      addDrops(this.#ownDrops, writer.drops); // its counts stay counted
    }
    this.#flushRedeliveries();
    this.#wake();
  }

  get state(): WriterState {
    if (this.#finished) return 'ended';
    let connecting = false;
    let ended = this.#members.size > 0;
    for (const writer of this.#members.values()) {
      if (writer.state === 'ready') return 'ready';
      if (writer.state === 'connecting') connecting = true;
      if (writer.state !== 'ended') ended = false;
    }
    if (connecting) return 'connecting';
    return ended ? 'ended' : 'unbound';
  }

  get credits(): number {
    let credits = 0;
    for (const writer of this.#members.values()) if (writer.state === 'ready') credits += writer.credits;
    return credits - this.#redeliver.length;
  }

  get drops(): Readonly<DropCounts> {
    const drops = addDrops(noDrops(), this.#ownDrops);
    for (const writer of this.#members.values()) addDrops(drops, writer.drops);
    return drops;
  }

  get dropped(): number {
    return totalDrops(this.drops);
  }

  /** Counts items its owner dropped before they could be put (a producer stopping in front of a full pool). */
  countDrop(cause: DropCause, count = 1): void {
    this.#ownDrops[cause] += count;
  }

  /** Resolves once no member is still connecting (so that the first items spread over every member). */
  async whenConnected(): Promise<void> {
    for (;;) {
      const connecting = [...this.#members.values()].find((writer) => writer.state === 'connecting');
      if (!connecting) return;
      await connecting.whenWritable();
    }
  }

  /** Values not yet acknowledged by any member, including those waiting to be delivered again. */
  get unacknowledged(): number {
    let count = this.#redeliver.length;
    for (const writer of this.#members.values()) count += writer.unacknowledged;
    return count;
  }

  tryPut(value: unknown, inspection?: Inspection): PutOutcome {
    if (this.#finished) {
      this.#ownDrops.refused++;
      return 'refused';
    }
    this.#flushRedeliveries();
    if (this.#redeliver.length > 0) return this.#anyMemberAlive() ? 'noCredit' : this.#refuse();
    const writer = this.#mostCredits();
    if (!writer) return this.#anyMemberAlive() ? 'noCredit' : this.#refuse();
    const outcome = writer.tryPut(value, inspection);
    if (outcome === 'sent') this.accepted++;
    return outcome;
  }

  whenWritable(): Promise<void> {
    if (!this.#anyMemberAlive() || (this.#redeliver.length === 0 && this.#mostCredits())) return Promise.resolve();
    // Only live members can bring credit (a gone member's whenWritable resolves at once, and would spin).
    for (const writer of this.#members.values()) {
      if (writer.state === 'ready' || writer.state === 'connecting') void writer.whenWritable().then(() => this.#wake());
    }
    return this.#writable.wait();
  }

  /**
   * Ends every member writer once every value was acknowledged, delivering
   * again what a member that dies meanwhile never consumed.
   */
  async end(): Promise<void> {
    while (this.#redeliver.length > 0 && this.#anyMemberAlive()) {
      this.#flushRedeliveries();
      if (this.#redeliver.length > 0) await this.whenWritable();
    }
    this.#finished = true;
    await Promise.all([...this.#members.values()].map((writer) => writer.end()));
    // A member that died while we ended left values behind with no one to take them: count them.
    this.#ownDrops.lost += this.#redeliver.clear();
  }

  #refuse(): PutOutcome {
    this.#ownDrops.refused++;
    return 'refused';
  }

  #takeBack(values: unknown[]): void {
    for (const value of values) this.#redeliver.push(value);
    this.redelivered += values.length;
    queueMicrotask(() => this.#redeliverAsCreditComes());
  }

  /**
   * Delivers the values taken back as soon as members have room, without
   * waiting for the next put: the producer may be idle, or done.
   */
  #redeliverAsCreditComes(): void {
    this.#flushRedeliveries();
    this.#wake();
    if (this.#redeliveryScheduled || this.#redeliver.length === 0 || !this.#anyMemberAlive()) return;
    this.#redeliveryScheduled = true;
    const alive = [...this.#members.values()].filter((writer) => writer.state === 'ready' || writer.state === 'connecting');
    void Promise.race(alive.map((writer) => writer.whenWritable())).then(() => {
      this.#redeliveryScheduled = false;
      this.#redeliverAsCreditComes();
    });
  }

  #flushRedeliveries(): void {
    while (this.#redeliver.length > 0) {
      const writer = this.#mostCredits();
      if (!writer) return;
      if (writer.tryPut(this.#redeliver.peek()) !== 'sent') return;
      this.#redeliver.shift();
    }
  }

  /** The ready member with the most credits; ties go round-robin, so that idle members share evenly. */
  #mostCredits(): QueueWriter | undefined {
    const writers = [...this.#members.values()];
    const start = this.#rotation++ % Math.max(1, writers.length);
    let best: QueueWriter | undefined;
    for (let offset = 0; offset < writers.length; offset++) {
      const writer = writers[(start + offset) % writers.length];
      if (writer.state !== 'ready' || writer.credits <= 0) continue;
      if (!best || writer.credits > best.credits) best = writer;
    }
    return best;
  }

  #anyMemberAlive(): boolean {
    for (const writer of this.#members.values()) {
      if (writer.state === 'ready' || writer.state === 'connecting') return true;
    }
    return false;
  }

  #wake(): void {
    this.#writable.notify();
  }

}
