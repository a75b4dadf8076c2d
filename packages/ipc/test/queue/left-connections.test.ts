import { LeftConnections } from '../../src/queue/left-connections.js';
import { QueueFrame } from '../../src/queue/protocol.js';
import type { FramedConnection } from '../../src/wire/connection.js';

/** A connection that records the frames written to it and whether it was ended. */
function fakeConnection(closed = false) {
  const written: number[] = [];
  let ended = false;
  const connection = {
    closed,
    writeFrame: (type: number) => written.push(type) > 0,
    end: async () => {
      ended = true;
    },
  };
  return { connection: connection as unknown as FramedConnection, written, ended: () => ended };
}

describe('LeftConnections', () => {
  it('keeps a connection with items unanswered, telling its host nothing more will come', () => {
    const left = new LeftConnections();
    const { connection, written, ended } = fakeConnection();
    expect(left.keep(connection, 5)).toBe(true);
    expect(written).toEqual([QueueFrame.end]);
    expect(left.count(connection)).toBe(5);
    left.update(connection, 2);
    expect(left.count(connection)).toBe(2);
    left.release(connection);
    expect(ended()).toBe(true);
    expect(left.count(connection)).toBeUndefined();
  });

  it('keeps nothing when nothing is unanswered, or the connection already closed: the caller closes it', () => {
    const left = new LeftConnections();
    const empty = fakeConnection();
    const gone = fakeConnection(true);
    expect(left.keep(empty.connection, 0)).toBe(false);
    expect(left.keep(gone.connection, 3)).toBe(false);
    expect(empty.written).toEqual([]);
    expect(gone.written).toEqual([]);
  });

  it('forgets a connection that closed and says what was still unanswered on it', () => {
    const left = new LeftConnections();
    const { connection } = fakeConnection();
    left.keep(connection, 4);
    expect(left.closed(connection)).toBe(4);
    expect(left.closed(connection)).toBeUndefined();
  });
});
