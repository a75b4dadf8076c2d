import { decodeFrameBody } from '../codecs/codec.js';
import type { FramedConnection } from '../wire/connection.js';
import { ProtocolError } from '../errors.js';
import { readJson, type Frame } from '../wire/framing.js';
import {
  QueueFrame,
  type HostState,
  type OpenMessage,
  type AckMessage,
  type ReturnedMessage,
  type RevokeMessage,
  type StateMessage,
} from './protocol.js';
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

/**
 * Most credits one writer holds at once. Enough for a full-speed writer (a
 * credit round trip takes well under a millisecond), small enough that an
 * idle writer cannot hoard the capacity that other writers need.
 */
const MAX_WINDOW = 65_536;

/** A writer as the host sees it: remote (a socket) or local (same process). */
interface Peer {
  readonly name: string;
  readonly connection: FramedConnection | undefined;
  /** Credits granted and not yet used (lossless). */
  outstanding: number;
  ended: boolean;
  /** For local peers: wakes a put waiting for credit. */
  wake?: () => void;
  /** A revoke was sent and its answer has not come back yet. */
  revoking?: boolean;
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
  #state: Exclude<HostState, 'gone'> | 'gone';
  #peers = new Set<Peer>();
  #itemsArrived = new Signal();
  #writersEnded = new Signal();
  #rotation = 0;

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
  }

  get size(): number {
    return this.#ring.length;
  }

  get state(): HostState {
    return this.#state;
  }

  /** Adopts a connection whose first frame was `open` for this queue. */
  attach(connection: FramedConnection, open: OpenMessage): void {
    const peer: Peer = { name: open.writer, connection, outstanding: 0, ended: false };
    this.#peers.add(peer);
    connection.setFrameHandler((frame) => this.#onFrame(peer, frame));
    connection.onClosed(() => this.#detach(peer));
    if (this.#state === 'gone') {
      connection.writeJson(QueueFrame.state, { state: 'gone' } satisfies StateMessage);
      void connection.end();
      return;
    }
    const credits = this.#state === 'ready' && !this.lossy ? this.#grantable(peer) : 0;
    peer.outstanding += credits;
    connection.writeJson(QueueFrame.state, { state: this.#state, credits } satisfies StateMessage);
    if (!this.lossy) this.#revokeExcess();
  }

  /** A writer for code running in this process (the main process feeding a queue it hosts). */
  createLocalWriter(name: string): QueueSink {
    const peer: Peer = { name, connection: undefined, outstanding: 0, ended: false };
    this.#peers.add(peer);
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
    for (const peer of this.#peers) peer.outstanding = 0;
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
    for (const peer of this.#peers) {
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
      if (peer.outstanding <= 0) {
        peer.outstanding += this.#grantable(peer);
        if (peer.outstanding <= 0) return 'noCredit';
      }
      peer.outstanding--;
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
          if (!this.lossy) peer.outstanding = Math.max(0, peer.outstanding - values.length);
          this.#admit(values, peer);
          // Capacity may still be free (nobody consumes yet): top the writers up to their windows.
          if (!this.lossy) this.#rebalance();
        });
      case QueueFrame.end:
        peer.ended = true;
        this.#checkEnded();
        return;
      case QueueFrame.returned: {
        const message = readJson<ReturnedMessage>(frame);
        peer.revoking = false;
        peer.outstanding = Math.max(0, peer.outstanding - message.credits);
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
    if (!this.#peers.delete(peer)) return;
    if (!this.lossy && peer.outstanding > 0) this.#rebalance();
    this.#checkEnded();
  }

  /** Free capacity not yet promised to any writer. */
  #free(): number {
    let promised = this.#ring.length + this.#inflight.length;
    for (const peer of this.#peers) promised += peer.outstanding;
    return Math.max(0, this.capacity - promised);
  }

  /**
   * Asks writers holding more than the current window to give the excess
   * back, so that a writer arriving at a queue whose capacity others hold
   * (idle, or simply first) gets its share without waiting for consumption.
   */
  #revokeExcess(): void {
    const window = this.#window();
    for (const peer of this.#peers) {
      if (peer.ended || peer.outstanding <= window) continue;
      if (!peer.connection) {
        peer.outstanding = window; // a local writer's credits live here
        continue;
      }
      if (peer.revoking) continue;
      peer.revoking = true;
      peer.connection.writeJson(QueueFrame.revoke, { keep: window } satisfies RevokeMessage);
    }
  }

  /** Credits to give `peer` now: up to its window, within what is free. */
  #grantable(peer: Peer): number {
    return Math.max(0, Math.min(this.#window() - peer.outstanding, this.#free()));
  }

  /** Each writer's window: a fair share of the capacity, at most MAX_WINDOW. */
  #window(): number {
    let writers = 0;
    for (const peer of this.#peers) if (!peer.ended) writers++;
    return Math.max(1, Math.min(MAX_WINDOW, Math.floor(this.capacity / Math.max(1, writers))));
  }

  #rebalance(): void {
    if (this.#state !== 'ready' || this.lossy) return;
    const window = this.#window();
    // Top up only writers that spent a quarter of their window (or all of it), so grants stay coarse.
    const threshold = Math.max(1, Math.floor(window / 4));
    const peers = [...this.#peers];
    const start = this.#rotation++ % Math.max(1, peers.length);
    for (let offset = 0; offset < peers.length; offset++) {
      const peer = peers[(start + offset) % peers.length]!;
      if (peer.ended) continue;
      const want = window - peer.outstanding;
      if (want < threshold && peer.outstanding > 0) continue;
      const credits = Math.min(want, this.#free());
      if (credits <= 0) continue;
      peer.outstanding += credits;
      if (peer.connection) peer.connection.writeJson(QueueFrame.grant, { credits });
      else peer.wake?.();
    }
  }

  #broadcastState(): void {
    for (const peer of this.#peers) {
      if (peer.ended && this.#state !== 'ready') continue;
      const credits = this.#state === 'ready' && !this.lossy ? this.#grantable(peer) : 0;
      peer.outstanding += credits;
      peer.connection?.writeJson(QueueFrame.state, { state: this.#state, credits } satisfies StateMessage);
      peer.wake?.();
    }
  }

  #allEnded(): boolean {
    if (this.#state !== 'closing' && this.#state !== 'gone') return false;
    for (const peer of this.#peers) if (!peer.ended) return false;
    return true;
  }

  #checkEnded(): void {
    if (this.#allEnded()) this.#writersEnded.notify();
  }

  #wakeItemWaiters(): void {
    this.#itemsArrived.notify();
  }
}
