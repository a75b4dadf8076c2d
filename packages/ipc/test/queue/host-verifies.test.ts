import { once } from 'node:events';
import { CodecId, FramedConnection, QueueFrame, connectUnix, encodeBatch, readJson, transportStats, type Frame, type StateMessage } from '../../src/index.js';
import { hostQueue, until } from '../helpers.js';

/** A writer that speaks the protocol by hand, so that it can break it. */
async function rawWriter(address: string, name = 'rogue') {
  const frames: Frame[] = [];
  const socket = connectUnix(address);
  const connection = new FramedConnection(socket, { name: 'raw writer', onFrame: (frame) => void frames.push(frame) });
  await once(socket, 'connect');
  connection.writeJson(QueueFrame.open, { queueId: 'q1', writer: name, lossy: false });
  const sendItems = (values: unknown[]) => connection.writeDataFrame(QueueFrame.items, CodecId.json, encodeBatch(values, CodecId.json, 'item').bytes);
  return { connection, frames, sendItems };
}

describe('a queue host verifies its writers', () => {
  it('disconnects a writer that sends beyond its credits, keeps what it had credit for, and counts the excess as refused', async () => {
    const queue = await hostQueue({ capacity: 1000 });
    const rogue = await rawWriter(queue.address);
    await until(() => rogue.frames.length > 0, 'the host answered');
    const { state, credits } = readJson<StateMessage>(rogue.frames[0]!);
    expect(state).toBe('ready');
    expect(credits).toBe(1000);
    const errors = transportStats.protocolErrors;
    rogue.sendItems(Array.from({ length: 1500 }, (_, index) => index));
    await rogue.connection.whenClosed();
    expect(queue.host.size).toBe(1000);
    expect(queue.host.drops.refused).toBe(500);
    expect(transportStats.protocolErrors).toBe(errors + 1);
    expect(queue.host.take(1000)).toEqual(Array.from({ length: 1000 }, (_, index) => index));
    await queue.close();
  });

  it.each([['not a count', 'x'], ['more than it holds', 5000]])(
    'disconnects a writer that returns credits it does not hold (%s); an honest writer beside it keeps its credits',
    async (_case, credits) => {
      const queue = await hostQueue({ capacity: 1000 });
      const honest = await rawWriter(queue.address, 'honest');
      const rogue = await rawWriter(queue.address, 'rogue');
      await until(() => honest.frames.length > 0 && rogue.frames.length > 0, 'the host answered both');
      const errors = transportStats.protocolErrors;
      rogue.connection.writeJson(QueueFrame.returned, { credits });
      await rogue.connection.whenClosed();
      expect(transportStats.protocolErrors).toBe(errors + 1);
      // The honest writer's credits stayed numbers: it spends all it holds, and is not taken for a rogue.
      const held = honest.frames.map((frame) => readJson<{ credits?: number }>(frame).credits ?? 0).reduce((sum, n) => sum + n, 0);
      expect(Number.isInteger(held) && held > 0).toBe(true);
      honest.sendItems(Array.from({ length: held }, (_, index) => index));
      await until(() => queue.host.size === held, 'the honest items arrived');
      expect(honest.connection.closed).toBe(false);
      honest.connection.destroy();
      await queue.close();
    },
  );

  it('keeps an honest writer that spends credits granted before the queue stopped accepting', async () => {
    const queue = await hostQueue({ capacity: 100 });
    const writer = await rawWriter(queue.address, 'honest');
    await until(() => writer.frames.length > 0, 'the host answered');
    queue.host.setNotReady(); // cancels the 100 credits on the host's side...
    queue.host.setReady(); // ...and grants 100 anew
    writer.sendItems(Array.from({ length: 100 }, (_, index) => index)); // ...while the first 100 were still spendable here
    writer.sendItems(Array.from({ length: 100 }, (_, index) => 100 + index)); // and then the new grant
    await until(() => queue.host.size + queue.host.drops.refused >= 100, 'the first batch arrived');
    expect(writer.connection.closed).toBe(false);
    writer.connection.destroy();
    await queue.close();
  });

  it('accepts at most maxWriters writers; a refused one is cut off before any answer', async () => {
    const queue = await hostQueue({ capacity: 100, maxWriters: 2 });
    const accepted = [await rawWriter(queue.address, 'a'), await rawWriter(queue.address, 'b')];
    await until(() => accepted.every((writer) => writer.frames.length > 0), 'both answered');
    const third = await rawWriter(queue.address, 'c');
    await third.connection.whenClosed();
    expect(third.frames).toEqual([]);
    for (const writer of accepted) writer.connection.destroy();
    await queue.close();
  });
});
