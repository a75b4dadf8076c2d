import type { FramedConnection } from '../wire/connection.js';
import { readJson, type Frame } from '../wire/framing.js';
import { LeftConnections } from './left-connections.js';
import { QueueFrame, type AckMessage, type StateMessage } from './protocol.js';
import { Retention } from './retention.js';

/**
 * What a lossless writer settles with its host, item by item: the host
 * acknowledges each item it consumed (or dropped and counted itself); one
 * that the host never settles is counted as lost here, should the connection
 * break first. A pool's writer retains the values instead, and hands those
 * the host never settled over to be delivered to another member.
 */
export class Settlement {
  #retained: Retention | undefined;
  /** Items sent on the current connection and not yet acknowledged (non-retaining writers). */
  #unacknowledged = 0;
  /** Connections left behind by a rebind, with their unsettled items. */
  #leaving = new LeftConnections();

  constructor(retain: boolean, onHandedOver: ((values: unknown[]) => void) | undefined) {
    this.#retained = retain ? new Retention(onHandedOver) : undefined;
  }

  /** Items sent on the current connection that the host has not settled yet. */
  get unsettled(): number {
    return this.#retained?.size ?? this.#unacknowledged;
  }

  /** Values retained until acknowledged (pool writers). */
  get retained(): number {
    return this.#retained?.size ?? 0;
  }

  /** An item went out on the current connection. */
  sent(value: unknown): void {
    if (this.#retained) this.#retained.keep(value);
    else this.#unacknowledged++;
  }

  /** `values[from..to)` went out on the current connection, in order. */
  sentMany(values: readonly unknown[], from: number, to: number): void {
    if (this.#retained) this.#retained.keepMany(values, from, to);
    else this.#unacknowledged += to - from;
  }

  /** The host acknowledged `count` items of the current connection. */
  acknowledged(count: number): void {
    if (this.#retained) this.#retained.acknowledged(count);
    else this.#unacknowledged = Math.max(0, this.#unacknowledged - count);
  }

  /**
   * The newest `count` items were cleared from the outbox before they were
   * written (the host stopped accepting): counted there, never to be settled.
   */
  withdrawn(count: number): void {
    if (this.#retained) this.#retained.withdrawn(count);
    else this.#unacknowledged = Math.max(0, this.#unacknowledged - count);
  }

  /** The writer sent its end: the host owns what it holds (a drain works it, a stop counts it). */
  handedToHost(): void {
    this.#unacknowledged = 0;
  }

  /** Resolves the next time no value is retained. */
  whenNoneRetained(): Promise<void> {
    return this.#retained?.whenNoneKept() ?? Promise.resolve();
  }

  /**
   * The current connection is over without the host settling what it held:
   * retained values are handed over; returns how many items were lost.
   */
  broken(): number {
    const lost = this.#unacknowledged;
    this.#unacknowledged = 0;
    return lost + (this.#retained?.size ? this.#retained.handOver() : 0);
  }

  /**
   * The writer moves on from an open connection (its queue moved or stopped
   * accepting). With items unsettled, the connection is kept until the host
   * acknowledges them or closes (see `leavingFrame`, `leavingClosed`); returns
   * whether it was kept (else the caller closes it).
   */
  leave(connection: FramedConnection): boolean {
    const unacknowledged = this.#unacknowledged;
    this.#unacknowledged = 0;
    return this.#leaving.keep(connection, unacknowledged);
  }

  /** A frame on a connection left behind: acknowledgements settle items; returns how many were lost (at `gone`). */
  leavingFrame(connection: FramedConnection, frame: Frame): number {
    const left = this.#leaving.count(connection);
    if (left === undefined) return 0;
    if (frame.type === QueueFrame.ack) {
      const rest = left - readJson<AckMessage>(frame).count;
      if (rest > 0) this.#leaving.update(connection, rest);
      else this.#leaving.release(connection);
      return 0;
    }
    if (frame.type === QueueFrame.state && readJson<StateMessage>(frame).state === 'gone') {
      this.#leaving.release(connection);
      return left; // acknowledgements come before `gone`: the rest, the host lost
    }
    return 0;
  }

  /** A connection closed: if it was left behind, returns how many of its items were never settled (lost). */
  leavingClosed(connection: FramedConnection): number | undefined {
    return this.#leaving.closed(connection);
  }
}
