import type { FramedConnection } from '../wire/connection.js';
import type { CreditAccount } from './credits.js';
import {
  QueueFrame,
  type AckMessage,
  type GrantMessage,
  type HostState,
  type RevokeMessage,
  type StateMessage,
} from './protocol.js';

/**
 * A writer as a QueueHost sees it: its credit account, and what the host
 * tells it. A remote writer is told in frames on its connection; a local one
 * (same process) reads its account directly and is only woken.
 */
export interface Peer extends CreditAccount {
  readonly name: string;
  /** The queue's state changed (or the writer just arrived), with the credits granted along. */
  tellState(state: HostState, credits: number): void;
  /** Credits were added to the writer's account. */
  grant(credits: number): void;
  /** The writer should keep at most `keep` credits and return the rest (remote writers only). */
  revoke(keep: number): void;
  /** `count` of the writer's oldest unacknowledged items were consumed. */
  acknowledged(count: number): void;
  /** The queue is gone: the writer is told and cut off. */
  gone(): void;
}

/**
 * Acknowledgements wait at most this long (ms) for company. Each frame wakes
 * the writer's process; a consumer working one item at a time at 1 kHz would
 * otherwise send it 1,000 frames a second for nothing it needs at once (the
 * writer forgets acknowledged items; credits come in grants).
 */
export const ACK_DELAY_MS = 20;
/** ...or until this many are due: then they go at the end of the turn. */
export const ACK_BATCH = 1024;

/**
 * A writer in another process, behind a socket. Acknowledgements are
 * coalesced: they go with the next grant or state change (always before a
 * state change, so that a writer never takes an item the host settled for
 * lost), at the end of the turn once `ACK_BATCH` are due or the writer has
 * sent its end (it waits for them), and otherwise within `ACK_DELAY_MS`.
 * A grant takes the acknowledgements counted so far along in the same write
 * (a pool member's acknowledgement frees the capacity that the grant hands
 * out: one write, one wake-up of the writer, instead of two).
 */
export class RemotePeer implements Peer {
  readonly local = false;
  outstanding = 0;
  ended = false;
  revoking = false;
  /**
   * Credits this writer was ever told it holds, less those it gave back; and
   * the items it sent. An honest writer never sends more items than it was
   * granted (whatever the host later cancelled, a writer may still spend what
   * it held then), so `received > granted` proves it ignores its credits.
   */
  granted = 0;
  received = 0;
  #acknowledged = 0;
  #ackTimer: NodeJS.Timeout | undefined;
  #ackImmediate: NodeJS.Immediate | undefined;

  constructor(
    readonly name: string,
    readonly connection: FramedConnection,
  ) {}

  tellState(state: HostState, credits: number): void {
    this.granted += credits;
    this.#flushAcks();
    this.connection.writeJson(QueueFrame.state, { state, credits } satisfies StateMessage);
  }

  grant(credits: number): void {
    this.granted += credits;
    const socket = this.connection.socket;
    socket.cork();
    this.#flushAcks();
    this.connection.writeJson(QueueFrame.grant, { credits } satisfies GrantMessage);
    socket.uncork();
  }

  revoke(keep: number): void {
    this.connection.writeJson(QueueFrame.revoke, { keep } satisfies RevokeMessage);
  }

  acknowledged(count: number): void {
    this.#acknowledged += count;
    if (this.ended || this.#acknowledged >= ACK_BATCH) this.acknowledgeSoon();
    else this.#ackTimer ??= setTimeout(() => this.#flushAcks(), ACK_DELAY_MS).unref();
  }

  /** Sends the acknowledgements due at the end of this turn (the writer ended and waits for them). */
  acknowledgeSoon(): void {
    if (this.#acknowledged > 0) this.#ackImmediate ??= setImmediate(() => this.#flushAcks());
  }

  gone(): void {
    this.#flushAcks();
    this.connection.writeJson(QueueFrame.state, { state: 'gone', received: this.received } satisfies StateMessage);
    void this.connection.end();
  }

  #flushAcks(): void {
    clearTimeout(this.#ackTimer);
    clearImmediate(this.#ackImmediate);
    this.#ackTimer = this.#ackImmediate = undefined;
    if (this.#acknowledged === 0) return;
    const count = this.#acknowledged;
    this.#acknowledged = 0;
    this.connection.writeJson(QueueFrame.ack, { count } satisfies AckMessage);
  }
}

/** A writer in this process (a LocalWriter): its credits live in its account, so it is only woken. */
export class LocalPeer implements Peer {
  readonly local = true;
  outstanding = 0;
  ended = false;
  /** Wakes a put waiting for credit or for a change of state. */
  wake: () => void = () => {};

  constructor(readonly name: string) {}

  tellState(): void {
    this.wake();
  }

  grant(): void {
    this.wake();
  }

  revoke(): void {
    // Never asked: the ledger cuts a local writer's credits itself.
  }

  acknowledged(): void {
    // Local items are never acknowledged: they are not recorded with a writer.
  }

  gone(): void {
    this.wake();
  }
}
