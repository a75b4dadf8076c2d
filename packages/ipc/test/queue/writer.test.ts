import { WaitingPuts } from '../../src/index.js';
import { inspectBatch } from '../../src/wire/outbox.js';
import { hostQueue, until } from '../helpers.js';

describe('QueueWriter as a batch sink', () => {
  it('sends what its credits allow, nothing while connecting, and refuses (counting) once the queue stops accepting', async () => {
    const queue = await hostQueue({ capacity: 10 });
    const writer = queue.writer();
    const values = Array.from({ length: 15 }, (_, index) => index);
    const inspection = inspectBatch(values, 'auto', 'item');
    expect(writer.state).toBe('connecting');
    expect(writer.sendMany(values, 0, inspection)).toBe(0);
    await until(() => writer.state === 'ready', 'writer ready');
    expect(writer.sendMany(values, 0, inspection)).toBe(10);
    expect(writer.sendMany(values, 10, inspection)).toBe(0);
    await until(() => queue.host.size === 10, 'items arrived');
    queue.host.setNotReady();
    await until(() => writer.state === 'notReady', 'writer told');
    expect(writer.sendMany(values, 10, inspection)).toBe('refused');
    expect(writer.drops.refused).toBe(5);
    await queue.close();
  });

  it('serves un-awaited single puts in call order as credit comes, never beyond capacity', async () => {
    const queue = await hostQueue({ capacity: 20 });
    const writer = queue.writer();
    const puts = new WaitingPuts(writer);
    const calls = Array.from({ length: 1000 }, (_, index) => puts.put([index]));
    const seen: unknown[] = [];
    while (seen.length < 1000) {
      await new Promise((resolve) => setImmediate(resolve));
      expect(queue.host.size).toBeLessThanOrEqual(20);
      seen.push(...queue.host.take(7));
    }
    expect(await Promise.all(calls)).toEqual(calls.map(() => true));
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, index) => index));
    await queue.close();
  });
});
