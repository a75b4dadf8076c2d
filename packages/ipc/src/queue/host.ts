import { decodeFrameBody } from '../codecs/codec.js';
import { ProtocolError } from '../errors.js';
import { logTransportWarning, transportStats } from '../wire/stats.js';
import { RingBuffer } from '../util/ring-buffer.js';
import { Signal } from '../util/signal.js';
import type { FramedConnection } from '../wire/connection.js';
import { readJson, type Frame } from '../wire/framing.js';
import { Acknowledgements } from './acknowledgements.js';
import { CreditLedger } from './credits.js';
import { noDrops, totalDrops, type DropCounts } from './drops.js';
import { FrameLatency } from './latency.js';
import { LocalWriter } from './local-writer.js';
import { LocalPeer, RemotePeer, type Peer } from './peers.js';
import { QueueFrame, type HostState, type OpenMessage, type ReturnedMessage } from './protocol.js';
import type { PutOutcome, QueueSink } from './sink.js';
import type { QueueSource } from './source.js';

/** Writers one queue accepts at once: far beyond any real topology, a bound on what peers can make a host keep. */
const MAX_WRITERS_PER_QUEUE = 1024;

/** How a QueueHost is set up: its id and name, capacity, loss policy and initial state. */
export interface QueueHostOptions {
  queueId: string;
  /** Names the queue in warnings ("queue of consumer 'logger'"). */
  name: string;
  capacity: number;
  lossy: boolean;
  /** Whether the queue accepts items from the start (default true). */
  ready?: boolean;
  /**
   * A pool member's queue: taken items hold their capacity until
   * acknowledged (`acknowledge(count)`), and their writers keep them until
   * then, to deliver them elsewhere if this host dies first (at-least-once).
   * Every lossless host acknowledges consumed items to their writers; only
   * here does that free capacity.
   */
  acknowledge?: boolean;
  /** Writers accepted at once (default MAX_WRITERS_PER_QUEUE). */
  maxWriters?: number;
}

/**
 * The reading end of a queue: a ring buffer in the process that consumes the
 * queue, fed by writers in other processes (over sockets) or in this one.
 * Lossless: writers hold credits, so the ring never exceeds `capacity`.
 * Lossy: the ring drops its oldest item when full, whoever put the new one.
 * The members of QueueSource are documented there.
 */
export class QueueHost implements QueueSource {
  readonly queueId: string;
  readonly name: string;
  readonly capacity: number;
  readonly lossy: boolean;
  readonly acknowledging: boolean;
  /** Items dropped here, by cause: overwritten (lossy), cleared, discarded at a stop, or arriving while not accepting. */
  readonly drops: DropCounts = noDrops();
  /** Items that entered the ring. */
  received = 0;
  /** Item frames received from remote writers (items arrive batched: frames ≤ items). */
  frames = 0;
  /** Items the consumer took. */
  taken = 0;
  /** From a writer sending a frame to the consumer taking it (see FrameLatency). */
  readonly latency = new FrameLatency();
  #ring = new RingBuffer<unknown>();
  /** Acknowledging hosts: who sent each item not yet acknowledged. */
  #acks = new Acknowledgements<Peer>();
  #state: HostState;
  /** Every writer's credit account; also the host's list of writers. */
  #ledger: CreditLedger<Peer>;
  #maxWriters: number;
  #itemsArrived = new Signal();
  #writersEnded = new Signal();

  constructor(options: QueueHostOptions) {
    if (!Number.isInteger(options.capacity) || options.capacity < 1) {
      throw new RangeError(`${options.name}: capacity must be a whole number ≥ 1, got ${options.capacity}`);
    }
    this.queueId = options.queueId;
    this.name = options.name;
    this.capacity = options.capacity;
    this.lossy = options.lossy;
    this.acknowledging = options.acknowledge === true && !options.lossy;
    this.#state = options.ready === false ? 'notReady' : 'ready';
    this.#ledger = new CreditLedger(options.capacity);
    this.#maxWriters = options.maxWriters ?? MAX_WRITERS_PER_QUEUE;
  }

  get size(): number {
    return this.#ring.length;
  }

  get dropped(): number {
    return totalDrops(this.drops);
  }

  /** The queue's state, as its writers are told it. */
  get state(): HostState {
    return this.#state;
  }

  /** Adopts a connection whose first frame was `open` for this queue. */
  attach(connection: FramedConnection, open: OpenMessage): void {
    if (this.#ledger.writers.size >= this.#maxWriters) {
      // Cut off unanswered: a real writer tries again, and fails its worker if this lasts (see HostDialer).
      transportStats.protocolErrors++;
      logTransportWarning(`${this.name}: refusing writer ${open.writer}: ${this.#maxWriters} writers are connected already`);
      connection.destroy();
      return;
    }
    const peer = new RemotePeer(open.writer, connection);
    this.#ledger.join(peer);
    connection.setFrameHandler((frame) => this.#onFrame(peer, frame));
    connection.onClosed(() => this.#detach(peer));
    if (this.#state === 'gone') {
      peer.gone();
      return;
    }
    const credits = this.#state === 'ready' && !this.lossy ? this.#ledger.grant(peer, this.#occupied()) : 0;
    peer.tellState(this.#state, credits);
    if (!this.lossy) this.#revokeExcess();
  }

  /** A writer for code running in this process (the main process feeding a queue it hosts). */
  createLocalWriter(name: string): QueueSink {
    const peer = new LocalPeer(name);
    this.#ledger.join(peer);
    const writer = new LocalWriter({
      queueId: this.queueId,
      lossy: this.lossy,
      account: peer,
      hostState: () => this.#state,
      put: (value) => this.#localPut(peer, value),
      end: () => this.#endLocalPeer(peer),
    });
    peer.wake = () => writer.wake();
    return writer;
  }

  take(max: number): unknown[] {
    const items = this.#ring.shiftMany(max);
    this.taken += items.length;
    this.latency.left(items.length, true);
    if (!this.lossy) this.#acks.taken(items.length);
    // Grant at once: a consumer that works through a backlog without yielding must not starve its writers.
    if (items.length > 0 && !this.lossy) this.#rebalance();
    return items;
  }

  /** Removes and returns the oldest item (or undefined). */
  takeOne(): unknown {
    return this.take(1)[0];
  }

  acknowledge(count: number): void {
    if (this.lossy) return;
    for (const [peer, acknowledged] of this.#acks.acknowledge(count)) peer.acknowledged(acknowledged);
    if (count > 0 && this.acknowledging) this.#rebalance(); // the capacity they held is free
  }

  /** Items taken and not yet acknowledged (lossless hosts). */
  get unacknowledged(): number {
    return this.#acks.unacknowledged;
  }

  whenItems(): Promise<void> {
    if (this.#ring.length > 0 || this.#state === 'gone') return Promise.resolve();
    return this.#itemsArrived.wait();
  }

  setReady(): void {
    if (this.#state !== 'notReady') return;
    this.#state = 'ready';
    this.#broadcastState();
  }

  setNotReady(): void {
    if (this.#state === 'gone') return;
    this.#state = 'notReady';
    this.drops.cleared += this.#clearQueued();
    this.#ledger.cancelAll();
    this.#broadcastState();
    this.#wakeItemWaiters();
  }

  discard(cause: 'cleared' | 'stopped' = 'cleared'): number {
    const cleared = this.#clearQueued();
    this.drops[cause] += cleared;
    if (cleared > 0 && !this.lossy) this.#rebalance();
    return cleared;
  }

  close(): void {
    if (this.#state === 'closing' || this.#state === 'gone') return;
    this.#state = 'closing';
    this.#broadcastState();
    this.#checkEnded();
  }

  whenWritersEnded(): Promise<void> {
    if (this.#allEnded()) return Promise.resolve();
    return this.#writersEnded.wait();
  }

  shutdown(): void {
    if (this.#state === 'gone') return;
    this.#state = 'gone';
    for (const peer of this.#ledger.writers) peer.gone();
    this.#wakeItemWaiters();
    this.#checkEnded();
  }

  // --- internals -----------------------------------------------------------

  #localPut(peer: Peer, value: unknown): PutOutcome {
    if (this.#state !== 'ready' || peer.ended) return 'refused';
    if (!this.lossy) {
      if (peer.outstanding <= 0 && this.#ledger.grant(peer, this.#occupied()) <= 0) return 'noCredit';
      this.#ledger.spend(peer, 1);
    }
    this.#admit([value]);
    return 'sent';
  }

  #endLocalPeer(peer: Peer): void {
    peer.ended = true;
    this.#detach(peer);
  }

  #onFrame(peer: RemotePeer, frame: Frame): void | Promise<void> {
    switch (frame.type) {
      case QueueFrame.items:
        this.frames++;
        return decodeFrameBody(frame.body, (decoded) => {
          // After `gone` the writer counts what it sent and this host did not take (it was told how many arrived).
          if (this.#state === 'gone') return;
          const values = this.lossy ? this.#received(peer, decoded) : this.#withinCredits(peer, decoded);
          if (this.#state === 'notReady') {
            // Sent before the writer learned the queue stopped accepting: counted here (and settled, lossless).
            this.drops.refused += values.length;
            if (!this.lossy) peer.acknowledged(values.length);
            return;
          }
          if (!this.lossy) this.#ledger.spend(peer, values.length);
          this.#admit(values, peer);
          // Capacity may still be free (nobody consumes yet): top the writers up to their windows.
          if (!this.lossy) this.#rebalance();
        });
      case QueueFrame.stamp:
        this.latency.stamp(peer, frame.body);
        return;
      case QueueFrame.end:
        peer.ended = true;
        peer.acknowledgeSoon(); // it waits for them before it closes
        this.#checkEnded();
        return;
      case QueueFrame.returned: {
        const { credits } = readJson<ReturnedMessage>(frame);
        // A writer returns at most what it holds: anything else (not a count, more than it was granted) would
        // corrupt the host's credit arithmetic for every writer (a NaN spreads to all grants).
        if (!Number.isSafeInteger(credits) || credits < 0 || credits > peer.granted - peer.received) {
          transportStats.protocolErrors++;
          logTransportWarning(`${this.name}: writer ${peer.name} returned ${String(credits)} credits it did not hold: it is disconnected`);
          peer.connection.destroy(new ProtocolError('ERR_QUEUE_PROTOCOL', `writer ${peer.name} returned credits it did not hold`));
          return;
        }
        peer.granted -= credits;
        this.#ledger.returned(peer, credits);
        this.#rebalance();
        return;
      }
      default:
        throw new ProtocolError('ERR_QUEUE_PROTOCOL', `unexpected frame type ${frame.type} from writer ${peer.name}`);
    }
  }

  /** A lossy writer's items, counted as they arrive (see `gone`). */
  #received(peer: RemotePeer, values: unknown[]): unknown[] {
    peer.received += values.length;
    return values;
  }

  /**
   * The items of a frame that `peer` had credit for. A writer that sent more
   * ignores the protocol (a bug, or a hostile peer): its excess is dropped and
   * counted (`refused`), and it is disconnected.
   */
  #withinCredits(peer: RemotePeer, values: unknown[]): unknown[] {
    peer.received += values.length;
    const excess = peer.received - peer.granted;
    if (excess <= 0) return values;
    this.drops.refused += Math.min(excess, values.length);
    transportStats.protocolErrors++;
    logTransportWarning(`${this.name}: writer ${peer.name} sent ${excess} items beyond its credits: they are dropped and it is disconnected`);
    peer.connection.destroy(new ProtocolError('ERR_QUEUE_PROTOCOL', `writer ${peer.name} exceeded its credits`));
    return excess >= values.length ? [] : values.slice(0, values.length - excess);
  }

  /** Drops what is queued; a lossless host acknowledges it (dropped and counted here: not lost, not to be delivered elsewhere). */
  #clearQueued(): number {
    const cleared = this.#ring.clear();
    this.latency.left(cleared, false);
    if (!this.lossy && cleared > 0) {
      for (const [peer, settled] of this.#acks.dropQueued(cleared)) peer.acknowledged(settled);
    }
    return cleared;
  }

  #admit(values: unknown[], origin?: Peer): void {
    const ring = this.#ring;
    for (let index = 0; index < values.length; index++) ring.push(values[index]);
    if (!this.lossy) this.#acks.queued(origin, values.length);
    this.received += values.length;
    this.latency.entered(values.length, origin);
    if (this.lossy && ring.length > this.capacity) {
      const overflow = ring.length - this.capacity;
      for (let index = 0; index < overflow; index++) ring.shift();
      this.drops.overflow += overflow;
      this.latency.left(overflow, false);
    }
    this.#wakeItemWaiters();
  }

  #detach(peer: Peer): void {
    if (!this.#ledger.leave(peer)) return;
    if (!this.lossy && peer.outstanding > 0) this.#rebalance();
    this.#checkEnded();
  }

  /** Items holding capacity: queued, plus (pool members) taken and not yet acknowledged. */
  #occupied(): number {
    return this.#ring.length + (this.acknowledging ? this.#acks.unacknowledged : 0);
  }

  /** Asks writers holding more than their window for the excess (see CreditLedger.revokeExcess). */
  #revokeExcess(): void {
    const { keep, writers } = this.#ledger.revokeExcess();
    for (const peer of writers) peer.revoke(keep);
  }

  /** Tops writers up to their windows (see CreditLedger.topUp) and tells them. */
  #rebalance(): void {
    if (this.#state !== 'ready' || this.lossy) return;
    for (const { writer: peer, credits } of this.#ledger.topUp(this.#occupied())) peer.grant(credits);
  }

  #broadcastState(): void {
    for (const peer of this.#ledger.writers) {
      // A writer that sent its end takes nothing more: telling it would only tie up credits it never uses.
      if (peer.ended) continue;
      const credits = this.#state === 'ready' && !this.lossy ? this.#ledger.grant(peer, this.#occupied()) : 0;
      peer.tellState(this.#state, credits);
    }
  }

  #allEnded(): boolean {
    if (this.#state !== 'closing' && this.#state !== 'gone') return false;
    for (const peer of this.#ledger.writers) if (!peer.ended) return false;
    return true;
  }

  #checkEnded(): void {
    if (this.#allEnded()) this.#writersEnded.notify();
  }

  #wakeItemWaiters(): void {
    this.#itemsArrived.notify();
  }
}
