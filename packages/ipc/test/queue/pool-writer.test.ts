import { PoolWriter, QueueHost, QueueRouter, QueueWriter, WaitingPuts, createPrivateSocketDir, putWhenWritable, socketPath } from '../../src/index.js';
import { inspectBatch } from '../../src/wire/outbox.js';
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

  it("deals a batch by credit in one pass: the most credits first, ties in turn, never beyond a member's credits", async () => {
    const [a, b] = [await member('a', 10), await member('b', 10)];
    const writer = new PoolWriter({ queueId: 'pool', capacity: 10, writerName: 'test' });
    writer.bind([a.binding, b.binding]);
    await writer.whenConnected();
    await until(() => writer.credits === 20, 'both members granted their capacity');
    const values = Array.from({ length: 25 }, (_, index) => index);
    const inspection = inspectBatch(values, 'auto', 'item');
    expect(writer.sendMany(values, 0, inspection)).toBe(20);
    expect(writer.sendMany(values, 20, inspection)).toBe(0); // no credit left: nothing beyond capacity
    await until(() => a.host.size + b.host.size === 20, 'the batch arrived');
    const [fromA, fromB] = [a.host.take(10), b.host.take(10)];
    expect(fromA).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(fromB).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    a.host.acknowledge(10); // only a has room again: the rest goes to a
    await until(() => writer.credits >= 5, 'credit from a');
    expect(writer.sendMany(values, 20, inspection)).toBe(5);
    await until(() => a.host.size === 5, 'the rest arrived at a');
    expect(a.host.take(5)).toEqual([20, 21, 22, 23, 24]);
    expect(b.host.size).toBe(0);
    expect(writer.accepted).toBe(25);
    a.host.acknowledge(5);
    b.host.acknowledge(10);
    await writer.end();
    for (const entry of [a, b]) await entry.server.close();
  });

  it('delivers un-awaited single puts exactly once, in call order per member, never beyond capacity', async () => {
    const members = [await member('a', 50), await member('b', 50)];
    const writer = new PoolWriter({ queueId: 'pool', capacity: 50, writerName: 'test' });
    writer.bind(members.map((entry) => entry.binding));
    await writer.whenConnected();
    const puts = new WaitingPuts(writer);
    const calls = Array.from({ length: 3000 }, (_, index) => puts.put([index]));
    const seen = members.map(() => [] as number[]);
    let total = 0;
    while (total < 3000) {
      await new Promise((resolve) => setImmediate(resolve));
      members.forEach((entry, which) => {
        expect(entry.host.size + entry.host.unacknowledged).toBeLessThanOrEqual(50);
        const taken = entry.host.take(entry.host.size) as number[];
        seen[which]!.push(...taken);
        total += taken.length;
        entry.host.acknowledge(taken.length);
      });
    }
    expect(await Promise.all(calls)).toEqual(calls.map(() => true));
    for (const mine of seen) {
      expect(mine.length).toBeGreaterThan(0);
      expect(mine).toEqual([...mine].sort((x, y) => x - y)); // each member got its items in call order
    }
    expect(seen.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 3000 }, (_, index) => index));
    await writer.end();
    for (const entry of members) await entry.server.close();
  });

  it("sends a member's acknowledgement with the grant it makes, in one write, ahead of the grant", async () => {
    const a = await member('a', 10);
    const atGrant: number[] = [];
    const writer: QueueWriter = new QueueWriter({
      queueId: a.binding.queueId,
      lossy: false,
      capacity: 10,
      writerName: 'test',
      retain: true,
      onWritable: () => atGrant.push(writer.unacknowledged),
    });
    writer.bind(a.address);
    await until(() => writer.credits === 10, 'credits');
    for (let index = 0; index < 10; index++) writer.tryPut(index);
    await until(() => a.host.size === 10, 'items arrived');
    a.host.take(10);
    atGrant.length = 0;
    a.host.acknowledge(10); // frees the capacity: a grant, with the acknowledgement
    await until(() => writer.credits === 10, 'the grant');
    expect(atGrant).toEqual([0]); // when the grant arrived, the acknowledgement already had
    await writer.end();
    await a.server.close();
  });
});
