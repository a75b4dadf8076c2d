import { jest } from '@jest/globals';
import { ACK_BATCH, ACK_DELAY_MS, RemotePeer } from '../../src/queue/peers.js';
import { QueueFrame } from '../../src/queue/protocol.js';
import type { FramedConnection } from '../../src/wire/connection.js';

/** A connection that records the JSON frames written to it, in order: what the writer would read. */
function recordingConnection() {
  const frames: Array<{ type: number; message: unknown }> = [];
  const connection = {
    closed: false,
    socket: { cork: () => {}, uncork: () => {} },
    writeJson: (type: number, message: unknown) => frames.push({ type, message }) > 0,
  };
  return { connection: connection as unknown as FramedConnection, frames };
}

const acks = (frames: Array<{ type: number; message: unknown }>) =>
  frames.filter((frame) => frame.type === QueueFrame.ack).map((frame) => (frame.message as { count: number }).count);

describe('a remote peer acknowledging consumed items', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the acknowledgements of items consumed one at a time together, within ACK_DELAY_MS: one wake-up of the writer, not one per item', () => {
    const { connection, frames } = recordingConnection();
    const peer = new RemotePeer('writer', connection);
    for (let item = 0; item < 15; item++) {
      peer.acknowledged(1);
      jest.advanceTimersByTime(1); // one item a millisecond, each in a turn of its own
    }
    expect(acks(frames)).toEqual([]);
    jest.advanceTimersByTime(ACK_DELAY_MS);
    expect(acks(frames)).toEqual([15]);
    jest.advanceTimersByTime(10 * ACK_DELAY_MS);
    expect(frames).toHaveLength(1); // nothing more is due: no empty frames
  });

  it('sends them at the end of the turn once ACK_BATCH are due, without waiting', () => {
    const { connection, frames } = recordingConnection();
    const peer = new RemotePeer('writer', connection);
    peer.acknowledged(ACK_BATCH - 1);
    jest.advanceTimersByTime(0);
    expect(acks(frames)).toEqual([]);
    peer.acknowledged(1);
    jest.runOnlyPendingTimers(); // the end of the turn (setImmediate) comes before the delay's timer
    expect(acks(frames)).toEqual([ACK_BATCH]);
  });

  it('lets a grant carry the acknowledgements due, ahead of it, and sends nothing more for them', () => {
    const { connection, frames } = recordingConnection();
    const peer = new RemotePeer('writer', connection);
    peer.acknowledged(3);
    peer.grant(5);
    expect(frames.map((frame) => frame.type)).toEqual([QueueFrame.ack, QueueFrame.grant]);
    expect(acks(frames)).toEqual([3]);
    jest.advanceTimersByTime(10 * ACK_DELAY_MS);
    expect(frames).toHaveLength(2);
  });

  it('sends them before a state change, so that a writer never counts as lost what was consumed', () => {
    const { connection, frames } = recordingConnection();
    const peer = new RemotePeer('writer', connection);
    peer.acknowledged(7);
    peer.tellState('notReady', 0);
    expect(frames.map((frame) => frame.type)).toEqual([QueueFrame.ack, QueueFrame.state]);
  });

  it('sends them at the end of the turn once the writer has sent its end: it waits for them before closing', () => {
    const { connection, frames } = recordingConnection();
    const peer = new RemotePeer('writer', connection);
    peer.acknowledged(2); // due within the delay...
    peer.ended = true;
    peer.acknowledgeSoon(); // ...until the end frame arrives
    jest.advanceTimersByTime(0);
    expect(acks(frames)).toEqual([2]);
    peer.acknowledged(4); // what it consumes after the end goes at once too
    jest.advanceTimersByTime(0);
    expect(acks(frames)).toEqual([2, 4]);
  });
});
