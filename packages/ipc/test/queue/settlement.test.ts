import { putWhenWritable } from '../../src/index.js';
import { hostQueue, until } from '../helpers.js';

describe('a lossless writer settling with its host', () => {
  it('counts as lost the items a host died with, unacknowledged', async () => {
    const queue = await hostQueue({ capacity: 100 });
    const writer = queue.writer();
    for (let item = 0; item < 10; item++) await putWhenWritable(writer, item);
    await until(() => queue.host.size === 10, 'all ten queued');
    queue.host.acknowledge(queue.host.take(3).length); // three consumed
    await until(() => writer.unsettled === 7, 'the acknowledgement arrived');
    void queue.server.close(); // the host goes away without a word: its connections just close
    await until(() => writer.state === 'gone', 'the writer sees its host gone');
    expect(writer.drops.lost).toBe(7);
    await queue.close();
  });

  it('leaves a connection it moves away from open until the host acknowledges what it sent there', async () => {
    const queue = await hostQueue({ capacity: 100 });
    const writer = queue.writer();
    for (let item = 0; item < 5; item++) await putWhenWritable(writer, item);
    await until(() => queue.host.size === 5, 'all five queued');
    const taken = queue.host.take(5);
    writer.bind(undefined); // the queue moved away (or stopped accepting) while the host works them
    expect(writer.state).toBe('unbound');
    queue.host.acknowledge(taken.length);
    await until(() => queue.host.size === 0, 'settled');
    writer.bind(queue.address); // and back: a new connection works as before
    expect(await putWhenWritable(writer, 'again')).toBe(true);
    await until(() => queue.host.size === 1, 'the new item arrives');
    expect(writer.drops).toMatchObject({ lost: 0, refused: 0 });
    await queue.close();
  });
});
