import { PoolWriter, QueueHost, QueueRouter, createPrivateSocketDir, putWhenWritable, socketPath } from '../../src/index.js';
import { until } from '../helpers.js';

/** A member of a pool: an acknowledging queue behind its own socket. */
async function member(name: string, capacity: number) {
  const directory = createPrivateSocketDir('prodcon-pool-test-');
  const host = new QueueHost({ queueId: `q-${name}`, name, capacity, lossy: false, acknowledge: true });
  const router = new QueueRouter();
  router.add(host);
  const address = socketPath(directory, name);
  const server = await router.listen(address, name);
  return { name, host, address, server, binding: { memberId: name, queueId: `q-${name}`, address } };
}

describe('PoolWriter', () => {
  it('gives each item to one member, and waits for acknowledgements before it ends', async () => {
    const members = [await member('a', 10), await member('b', 10)];
    const writer = new PoolWriter({ queueId: 'pool', capacity: 10, writerName: 'test' });
    writer.bind(members.map((entry) => entry.binding));
    await writer.whenConnected();
    for (let index = 0; index < 20; index++) expect(await putWhenWritable(writer, index)).toBe(true);
    await until(() => members[0]!.host.size + members[1]!.host.size === 20, 'all items arrived');
    expect(members[0]!.host.size).toBe(10); // both full: 20 items, capacity 10 each
    let ended = false;
    const ending = writer.end().then(() => (ended = true));
    const consumed: unknown[] = [];
    for (const entry of members) {
      const taken = entry.host.take(10);
      consumed.push(...taken);
      await new Promise((resolve) => setImmediate(resolve));
      expect(ended).toBe(false); // not every member has acknowledged yet
      entry.host.acknowledge(taken.length);
    }
    await ending;
    expect(consumed.sort((x, y) => (x as number) - (y as number))).toEqual(Array.from({ length: 20 }, (_, index) => index));
    for (const entry of members) await entry.server.close();
  });

  it('delivers what a member never acknowledged to another member when that one goes away', async () => {
    const [a, b] = [await member('a', 20), await member('b', 20)];
    const writer = new PoolWriter({ queueId: 'pool', capacity: 20, writerName: 'test' });
    writer.bind([a.binding, b.binding]);
    await writer.whenConnected();
    for (let index = 0; index < 40; index++) await putWhenWritable(writer, index);
    await until(() => a.host.size + b.host.size === 40, 'all items arrived');
    const takenByA = a.host.take(3); // taken, never acknowledged: "in the middle of a batch"
    const unacknowledgedByA = takenByA.length + a.host.size;
    expect(unacknowledgedByA).toBe(20);
    a.host.shutdown(); // the member goes away without acknowledging anything
    await a.server.close();
    const seen = new Set<unknown>();
    while (seen.size < 40) {
      await until(() => b.host.size > 0, 'items at the other member');
      const taken = b.host.take(b.host.size);
      for (const item of taken) seen.add(item);
      b.host.acknowledge(taken.length); // frees room for the redelivered items
    }
    expect([...seen].sort((x, y) => (x as number) - (y as number))).toEqual(Array.from({ length: 40 }, (_, index) => index));
    expect(writer.redelivered).toBe(unacknowledgedByA);
    await writer.end();
    await b.server.close();
  });
});
