import type { FramedConnection } from '../wire/connection.js';
import { QueueFrame } from './protocol.js';

/**
 * Connections a writer moved away from (its queue moved, or its consumer
 * restarted), each kept open with a count of the items sent on it until its
 * host answers for them: lossless writers wait for acknowledgements
 * (Settlement), lossy ones for the count a host says at `gone`
 * (LossyInFlight).
 */
export class LeftConnections {
  #counts = new Map<FramedConnection, number>();

  /**
   * Keeps `connection` until its host answers for `count` items, and tells
   * the host nothing more will come. False when there is nothing to wait
   * for (no items, or the connection closed): the caller closes it.
   */
  keep(connection: FramedConnection, count: number): boolean {
    if (count === 0 || connection.closed) return false;
    this.#counts.set(connection, count);
    connection.writeFrame(QueueFrame.end);
    return true;
  }

  /** The items still unanswered on a left connection (undefined: not one left behind). */
  count(connection: FramedConnection): number | undefined {
    return this.#counts.get(connection);
  }

  /** Some of its items were answered for: `rest` remain. */
  update(connection: FramedConnection, rest: number): void {
    this.#counts.set(connection, rest);
  }

  /** Answered for in full: forgets it and closes it. */
  release(connection: FramedConnection): void {
    this.#counts.delete(connection);
    void connection.end();
  }

  /** It closed: forgets it, returning what was still unanswered (undefined: not one left behind). */
  closed(connection: FramedConnection): number | undefined {
    const count = this.#counts.get(connection);
    this.#counts.delete(connection);
    return count;
  }
}
