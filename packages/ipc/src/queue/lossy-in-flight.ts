import type { FramedConnection } from '../wire/connection.js';
import { readJson, type Frame } from '../wire/framing.js';
import { LeftConnections } from './left-connections.js';
import { QueueFrame, type StateMessage } from './protocol.js';

/**
 * What a lossy writer wrote that its host may never have read. A lossy host
 * acknowledges nothing, so the writer cannot know item by item; but a host
 * that goes away says how many items it received from the writer in all
 * (`gone`), and the writer knows how many it wrote on that connection: the
 * difference was in the socket when the host stopped reading, and is counted
 * lost. A connection the writer moves away from (its consumer restarts) is
 * kept open until that answer comes, so that those items are counted too.
 * A host that dies without a word leaves them uncounted: nobody can know.
 */
export class LossyInFlight {
  /** Connections left behind, with the items written on each. */
  #leaving = new LeftConnections();

  /** The items lost on a connection whose host said `gone` after receiving `received` of the `written`. */
  static lostAtGone(written: number, message: StateMessage): number {
    return message.received === undefined ? 0 : Math.max(0, written - message.received);
  }

  /**
   * The writer moves on from `connection`, on which it wrote `written` items.
   * Returns whether the connection is kept until the host's `gone` (else the
   * caller closes it).
   */
  leave(connection: FramedConnection, written: number): boolean {
    return this.#leaving.keep(connection, written);
  }

  /** A frame on a connection left behind; returns how many items were lost (at `gone`). */
  leavingFrame(connection: FramedConnection, frame: Frame): number {
    const written = this.#leaving.count(connection);
    if (written === undefined || frame.type !== QueueFrame.state) return 0;
    const message = readJson<StateMessage>(frame);
    if (message.state !== 'gone') return 0;
    this.#leaving.release(connection);
    return LossyInFlight.lostAtGone(written, message);
  }

  /** A connection closed: whether it was one left behind (then nothing more is known of it). */
  leavingClosed(connection: FramedConnection): boolean {
    return this.#leaving.closed(connection) !== undefined;
  }
}
