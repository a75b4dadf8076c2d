import type { CodecName } from '../codecs/codec.js';
import type { ConnectError } from '../errors.js';
import type { Inspection } from '../codecs/inspect.js';
import { shareOf } from '../wire/outbox.js';
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
  /** The member writers, in joining order (kept with #members, so that per-item paths spread nothing). */
  #writers: QueueWriter[] = [];
  #redeliver = new RingBuffer<unknown>();
  #codec: CodecName | undefined;
  #label: string | undefined;
  #onUnreachable: ((error: ConnectError) => void) | undefined;
  #connectRetryMs: number | undefined;
  #finished = false;
  #writable = new Signal();
  #rotation = 0;
  /** sendMany's scratch, one slot per member (reused: per-item puts allocate nothing here). */
  #credits: number[] = [];
  #shares: unknown[][] = [];
  #wakeScheduled = false;
  /** A member's credit or state changed: see #scheduleWake. */
  readonly #memberWritable = () => this.#scheduleWake();
  /**
   * Called whenever a put might now succeed (credit came, a member came or
   * went, the writer ended): the one listener of an owner that keeps its own
   * waiting puts (see WaitingPuts), instead of a promise per waiting put.
   */
  onWritable: (() => void) | undefined;

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
          onWritable: this.#memberWritable,
        });
        this.#members.set(member.memberId, writer);
        this.#writers = [...this.#members.values()];
      }
      writer.bind(member.address ?? undefined);
    }
    for (const [memberId, writer] of this.#members) {
      if (listed.has(memberId)) continue;
      this.#members.delete(memberId);
      this.#writers = [...this.#members.values()];
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

  /**
   * Sends as many of `values` (from index `from` on) as the members have
   * credits for now, in order, each to the member holding the most credits
   * (ties in turn), and returns how many that was: 0 when no member has
   * credit (wait for `onWritable`), `refused` when no member is left or the
   * writer ended (the rest is counted refused). One push per member for the
   * whole call; `inspection` covers all of `values` (see inspectBatch).
   */
  sendMany(values: readonly unknown[], from: number, inspection: Inspection): number | 'refused' {
    if (this.#finished) return this.#refuseRest(values.length - from);
    this.#flushRedeliveries();
    if (this.#redeliver.length > 0) return this.#anyMemberAlive() ? 0 : this.#refuseRest(values.length - from);
    const writers = this.#writers;
    const count = writers.length;
    if (values.length - from === 1) return this.#sendOne(values, from, inspection);
    const credits = this.#credits;
    const shares = this.#shares;
    for (let member = 0; member < count; member++) {
      const writer = writers[member];
      credits[member] = writer.state === 'ready' ? Math.max(0, writer.credits) : 0;
      shares[member] ??= [];
    }
    let index = from;
    for (; index < values.length; index++) {
      const start = this.#rotation++ % Math.max(1, count);
      let best = -1;
      let bestCredits = 0;
      for (let offset = 0; offset < count; offset++) {
        const member = (start + offset) % count;
        if (credits[member] > bestCredits) {
          best = member;
          bestCredits = credits[member];
        }
      }
      if (best < 0) break;
      credits[best]--;
      shares[best].push(values[index]);
    }
    if (index === from) return this.#anyMemberAlive() ? 0 : this.#refuseRest(values.length - from);
    for (let member = 0; member < count; member++) {
      const share = shares[member];
      if (share.length === 0) continue;
      writers[member].sendRange(share, 0, share.length, shareOf(inspection, share.length, values.length));
      share.length = 0;
    }
    this.accepted += index - from;
    return index - from;
  }

  /** sendMany of the one value left at `index`. */
  #sendOne(values: readonly unknown[], index: number, inspection: Inspection): number | 'refused' {
    const writer = this.#mostCredits();
    if (!writer) return this.#anyMemberAlive() ? 0 : this.#refuseRest(1);
    writer.sendRange(values, index, index + 1, shareOf(inspection, 1, values.length));
    this.accepted++;
    return 1;
  }

  /** Sends what is pending to each member now (see QueueSink.flush). */
  flush(): void {
    for (const writer of this.#writers) writer.flush();
  }

  whenWritable(): Promise<void> {
    if (!this.#anyMemberAlive() || (this.#redeliver.length === 0 && this.#mostCredits())) return Promise.resolve();
    // Every member tells us of its credit and state changes (onWritable): no subscription per wait.
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
    this.#wake(); // puts still waiting are refused now
    await Promise.all([...this.#members.values()].map((writer) => writer.end()));
    // A member that died while we ended left values behind with no one to take them: count them.
    this.#ownDrops.lost += this.#redeliver.clear();
  }

  #refuse(): PutOutcome {
    this.#ownDrops.refused++;
    return 'refused';
  }

  #refuseRest(count: number): 'refused' {
    this.#ownDrops.refused += count;
    return 'refused';
  }

  #takeBack(values: unknown[]): void {
    for (const value of values) this.#redeliver.push(value);
    this.redelivered += values.length;
    this.#scheduleWake();
  }

  /**
   * A member's credit or state changed. In a microtask (never inside the
   * member writer's own handling): values taken back go first, as soon as
   * members have room, without waiting for the next put (the producer may be
   * idle, or done); then whoever waits is woken.
   */
  #scheduleWake(): void {
    if (this.#wakeScheduled) return;
    this.#wakeScheduled = true;
    queueMicrotask(() => {
      this.#wakeScheduled = false;
      this.#flushRedeliveries();
      this.#wake();
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
    const writers = this.#writers;
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
    this.onWritable?.();
  }

}
