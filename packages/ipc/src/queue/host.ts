import { decodeFrameBody } from '../codecs/codec.js';
import type { FramedConnection } from '../wire/connection.js';
import { ProtocolError } from '../errors.js';
import { readJson, type Frame } from '../wire/framing.js';
import {
  QueueFrame,
  type HostState,
  type OpenMessage,
  type AckMessage,
  type GrantMessage,
  type ReturnedMessage,
  type RevokeMessage,
  type StateMessage,
} from './protocol.js';
import { CreditLedger, type CreditAccount } from './credits.js';
import { LocalWriter } from './local-writer.js';
import type { PutOutcome, QueueSink } from './sink.js';
import { RingBuffer } from '../util/ring-buffer.js';
import { Signal } from '../util/signal.js';

export interface QueueHostOptions {
  queueId: string;
  /** Names the queue in warnings ("queue of consumer 'logger'"). */
  name: string;
  capacity: number;
  lossy: boolean;
  /** Whether the queue accepts items from the start (default true). */
  ready?: boolean;
  /**
   * Acknowledge items only once consumed (`acknowledge(count)`), not when
   * taken: writers keep each item until then and deliver it elsewhere if this
   * host dies first (a pool member: at-least-once). Taken, unacknowledged
   * items still count against the capacity.
   */
  acknowledge?: boolean;
}

/** A writer as the host sees it: remote (a socket) or local (same process), with its credit account. */
interface Peer extends CreditAccount {
  readonly name: string;
  readonly connection: FramedConnection | undefined;
  /** For local peers: wakes a put waiting for credit. */
  wake?: () => void;
}

/**
 * The reading end of a queue: a ring buffer in the process that consumes the
 * queue, fed by writers in other processes (over sockets) or in this one.
 * Lossless: writers hold credits, so the ring never exceeds `capacity`.
 * Lossy: the ring drops its oldest item when full, whoever put the new one.
 */
export class QueueHost {
  readonly queueId: string;
  readonly name: string;
  readonly capacity: number;
  readonly lossy: boolean;
  readonly acknowledging: boolean;
  /** Items dropped here: overwritten (lossy), cleared by setNotReady/discard, or arriving while not ready. */
  dropped = 0;
  /** Items that entered the ring. */
  received = 0;
  /** Item frames received from remote writers (items arrive batched: frames ≤ items). */
  frames = 0;
  #ring = new RingBuffer<unknown>();
  /** Acknowledging hosts: the writer of each queued item, in ring order... */
  #origins = new RingBuffer<Peer | undefined>();
  /** ...and of each item taken and not yet acknowledged, in the order taken. */
  #inflight = new RingBuffer<Peer | undefined>();
  #state: HostState;
  /** Every writer's credit account; also the host's list of writers. */
  #ledger: CreditLedger<Peer>;
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
  }

  get size(): number {
    return this.#ring.length;
  }

  get state(): HostState {
    return this.#state;
  }

  /** Adopts a connection whose first frame was `open` for this queue. */
  attach(connection: FramedConnection, open: OpenMessage): void {
    const peer: Peer = { name: open.writer, connection, local: false, outstanding: 0, ended: false };
    this.#ledger.join(peer);
    connection.setFrameHandler((frame) => this.#onFrame(peer, frame));
    connection.onClosed(() => this.#detach(peer));
    if (this.#state === 'gone') {
      connection.writeJson(QueueFrame.state, { state: 'gone' } satisfies StateMessage);
      void connection.end();
      return;
    }
    const credits = this.#state === 'ready' && !this.lossy ? this.#ledger.grant(peer, this.#occupied()) : 0;
    connection.writeJson(QueueFrame.state, { state: this.#state, credits } satisfies StateMessage);
    if (!this.lossy) this.#revokeExcess();
  }

  /** A writer for code running in this process (the main process feeding a queue it hosts). */
  createLocalWriter(name: string): QueueSink {
    const peer: Peer = { name, connection: undefined, local: true, outstanding: 0, ended: false };
    this.#ledger.join(peer);
    const host = this;
    const writer = new LocalWriter({
      queueId: this.queueId,
      lossy: this.lossy,
      get hostState() {
        return host.#state;
      },
      get credits() {
        return peer.outstanding;
      },
      get ended() {
        return peer.ended;
      },
      put: (value) => this.#localPut(peer, value),
      end: () => this.#endLocalPeer(peer),
    });
    peer.wake = () => writer.wake();
    return writer;
  }

  /** Removes and returns up to `max` items, oldest first; frees capacity for the writers. */
  take(max: number): unknown[] {
    const items = this.#ring.shiftMany(max);
    if (this.acknowledging) for (let index = 0; index < items.length; index++) this.#inflight.push(this.#origins.shift());
    // Grant at once: a consumer that works through a backlog without yielding must not starve its writers.
    if (items.length > 0 && !this.lossy) this.#rebalance();
    return items;
  }

  /** Removes and returns the oldest item (or undefined). */
  takeOne(): unknown {
    if (this.#ring.length === 0) return undefined;
    const item = this.#ring.shift();
    if (this.acknowledging) this.#inflight.push(this.#origins.shift());
    if (!this.lossy) this.#rebalance();
    return item;
  }

  /**
   * Acknowledging hosts: the oldest `count` taken items were consumed. Their
   * writers forget them, and their capacity is free again.
   */
  acknowledge(count: number): void {
    if (!this.acknowledging) return;
    const perPeer = new Map<Peer, number>();
    for (let index = 0; index < count && this.#inflight.length > 0; index++) {
      const peer = this.#inflight.shift();
      if (peer) perPeer.set(peer, (perPeer.get(peer) ?? 0) + 1);
    }
    for (const [peer, acknowledged] of perPeer) {
      peer.connection?.writeJson(QueueFrame.ack, { count: acknowledged } satisfies AckMessage);
    }
    if (count > 0) this.#rebalance();
  }

  /** Items taken and not yet acknowledged (acknowledging hosts). */
  get unacknowledged(): number {
    return this.#inflight.length;
  }

  /** Resolves when an item is available or the state changes. */
  whenItems(): Promise<void> {
    if (this.#ring.length > 0 || this.#state === 'gone') return Promise.resolve();
    return this.#itemsArrived.wait();
  }

  /** Accept items again (after setNotReady). */
  setReady(): void {
    if (this.#state !== 'notReady') return;
    this.#state = 'ready';
    this.#broadcastState();
  }

  /** Refuse items and clear what is queued (counted as dropped). */
  setNotReady(): void {
    if (this.#state === 'gone') return;
    this.#state = 'notReady';
    this.dropped += this.#clearQueued();
    this.#ledger.cancelAll();
    this.#broadcastState();
    this.#wakeItemWaiters();
  }

  /** Drops what is queued (counted) without changing the state; returns how many. */
  discard(): number {
    const cleared = this.#clearQueued();
    this.dropped += cleared;
    if (cleared > 0 && !this.lossy) this.#rebalance();
    return cleared;
  }

  /**
   * Starts draining: writers flush what they hold, send their end and stop.
   * Items already credited are still accepted. See `whenWritersEnded`.
   */
  close(): void {
    if (this.#state === 'closing' || this.#state === 'gone') return;
    this.#state = 'closing';
    this.#broadcastState();
    this.#checkEnded();
  }

  /** Resolves once every writer has sent its end or disconnected (after `close`). */
  whenWritersEnded(): Promise<void> {
    if (this.#allEnded()) return Promise.resolve();
    return this.#writersEnded.wait();
  }

  /** Stops hosting: writers are told the queue is gone and their connections close. */
  shutdown(): void {
    if (this.#state === 'gone') return;
    this.#state = 'gone';
    for (const peer of this.#ledger.writers) {
      if (peer.connection) {
        peer.connection.writeJson(QueueFrame.state, { state: 'gone' } satisfies StateMessage);
        void peer.connection.end();
      }
      peer.wake?.();
    }
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

  #onFrame(peer: Peer, frame: Frame): void | Promise<void> {
    switch (frame.type) {
      case QueueFrame.items:
        this.frames++;
        return decodeFrameBody(frame.body, (values) => {
          if (this.#state === 'notReady' || this.#state === 'gone') {
            this.dropped += values.length; // sent before the writer learned the queue stopped accepting
            return;
          }
          if (!this.lossy) this.#ledger.spend(peer, values.length);
          this.#admit(values, peer);
          // Capacity may still be free (nobody consumes yet): top the writers up to their windows.
          if (!this.lossy) this.#rebalance();
        });
      case QueueFrame.end:
        peer.ended = true;
        this.#checkEnded();
        return;
      case QueueFrame.returned: {
        this.#ledger.returned(peer, readJson<ReturnedMessage>(frame).credits);
        this.#rebalance();
        return;
      }
      default:
        throw new ProtocolError('ERR_QUEUE_PROTOCOL', `unexpected frame type ${frame.type} from writer ${peer.name}`);
    }
  }

  /** Drops what is queued; an acknowledging host acknowledges it (dropped, not to be delivered elsewhere). */
  #clearQueued(): number {
    const cleared = this.#ring.clear();
    if (this.acknowledging && cleared > 0) {
      for (let index = 0; index < cleared; index++) this.#inflight.push(this.#origins.shift());
      this.acknowledge(cleared);
    }
    return cleared;
  }

  #admit(values: unknown[], origin?: Peer): void {
    const ring = this.#ring;
    for (let index = 0; index < values.length; index++) ring.push(values[index]);
    if (this.acknowledging) for (let index = 0; index < values.length; index++) this.#origins.push(origin);
    this.received += values.length;
    if (this.lossy) {
      while (ring.length > this.capacity) {
        ring.shift();
        this.dropped++;
      }
    }
    this.#wakeItemWaiters();
  }

  #detach(peer: Peer): void {
    if (!this.#ledger.leave(peer)) return;
    if (!this.lossy && peer.outstanding > 0) this.#rebalance();
    this.#checkEnded();
  }

  /** Items holding capacity: queued, plus taken and not yet acknowledged. */
  #occupied(): number {
    return this.#ring.length + this.#inflight.length;
  }

  /** Asks writers holding more than their window for the excess (see CreditLedger.revokeExcess). */
  #revokeExcess(): void {
    const { keep, writers } = this.#ledger.revokeExcess();
    for (const peer of writers) peer.connection?.writeJson(QueueFrame.revoke, { keep } satisfies RevokeMessage);
  }

  /** Tops writers up to their windows (see CreditLedger.topUp) and tells them. */
  #rebalance(): void {
    if (this.#state !== 'ready' || this.lossy) return;
    for (const { writer: peer, credits } of this.#ledger.topUp(this.#occupied())) {
      if (peer.connection) peer.connection.writeJson(QueueFrame.grant, { credits } satisfies GrantMessage);
      else peer.wake?.();
    }
  }

  #broadcastState(): void {
    for (const peer of this.#ledger.writers) {
      if (peer.ended && this.#state !== 'ready') continue;
      const credits = this.#state === 'ready' && !this.lossy ? this.#ledger.grant(peer, this.#occupied()) : 0;
      peer.connection?.writeJson(QueueFrame.state, { state: this.#state, credits } satisfies StateMessage);
      peer.wake?.();
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
