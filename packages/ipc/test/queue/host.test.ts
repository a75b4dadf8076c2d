import { putWhenWritable, type QueueWriter } from '../../src/index.js';
import { hostQueue, until } from '../helpers.js';

describe('a lossless queue over a socket', () => {
  it('keeps order and batches items into few frames', async () => {
    const queue = await hostQueue({ capacity: 20_000 });
    const writer = queue.writer();
    await until(() => writer.state === 'ready', 'writer ready');
    for (let index = 0; index < 10_000; index++) expect(await putWhenWritable(writer, { seq: index })).toBe(true);
    await until(() => queue.host.size === 10_000, 'all items arrived');
    const items = queue.host.take(10_000) as Array<{ seq: number }>;
    expect(items.map((item) => item.seq)).toEqual(Array.from({ length: 10_000 }, (_, index) => index));
    expect(queue.host.frames).toBeGreaterThan(0);
    expect(queue.host.frames).toBeLessThan(100); // one frame per turn, not one per item
    await queue.close();
  });

  it('stops a writer after `capacity` items in flight while nobody consumes, then resumes as items are taken', async () => {
    const queue = await hostQueue({ capacity: 100 });
    const writer = queue.writer();
    let accepted = 0;
    const producing = (async () => {
      for (let index = 0; index < 250; index++) {
        await putWhenWritable(writer, index);
        accepted++;
      }
    })();
    await until(() => queue.host.size === 100, 'queue full');
    // Give the writer many turns to overrun if credits did not hold it back.
    for (let turn = 0; turn < 200; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(accepted).toBe(100);
    expect(writer.credits).toBe(0);
    expect(queue.host.size).toBe(100);

    const seen: unknown[] = [];
    while (seen.length < 250) {
      seen.push(...queue.host.take(30));
      await new Promise((resolve) => setImmediate(resolve));
      expect(queue.host.size).toBeLessThanOrEqual(100);
    }
    await producing;
    expect(seen).toEqual(Array.from({ length: 250 }, (_, index) => index));
    await queue.close();
  });

  it('bounds two stalled writers together by `capacity`, and starves neither once items are taken', async () => {
    const queue = await hostQueue({ capacity: 50 });
    const writers = [queue.writer('a'), queue.writer('b')];
    const accepted = [0, 0];
    const loops = writers.map(async (writer: QueueWriter, which) => {
      for (let index = 0; index < 200; index++) {
        await putWhenWritable(writer, `${which}-${index}`);
        accepted[which]!++;
      }
    });
    await until(() => accepted[0]! + accepted[1]! >= 50, 'writers filled the queue');
    for (let turn = 0; turn < 200; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(accepted[0]! + accepted[1]!).toBe(50);
    expect(queue.host.size).toBe(50);

    const seen: string[] = [];
    while (seen.length < 400) {
      seen.push(...(queue.host.take(10) as string[]));
      expect(queue.host.size).toBeLessThanOrEqual(50);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(loops);
    for (const which of [0, 1]) {
      const mine = seen.filter((item) => item.startsWith(`${which}-`));
      expect(mine).toEqual(Array.from({ length: 200 }, (_, index) => `${which}-${index}`));
    }
    await queue.close();
  });

  it('refuses and counts puts while not ready, and clears what it held', async () => {
    const queue = await hostQueue({ capacity: 10 });
    const writer = queue.writer();
    await until(() => writer.state === 'ready', 'writer ready');
    writer.tryPut('kept?');
    await until(() => queue.host.size === 1, 'first item');
    queue.host.setNotReady();
    expect(queue.host.size).toBe(0);
    expect(queue.host.dropped).toBe(1);
    await until(() => writer.state === 'notReady', 'writer told');
    expect(writer.tryPut('refused')).toBe('refused');
    expect(writer.dropped).toBe(1);
    queue.host.setReady();
    await until(() => writer.state === 'ready' && writer.credits > 0, 'writer ready again');
    expect(writer.tryPut('accepted')).toBe('sent');
    await until(() => queue.host.size === 1, 'item after ready');
    expect(queue.host.take(1)).toEqual(['accepted']);
    await queue.close();
  });

  it('drains: after close(), writers flush what they hold, end, and nothing is lost', async () => {
    const queue = await hostQueue({ capacity: 20_000 });
    const writers = [queue.writer('a'), queue.writer('b')];
    await until(() => writers.every((writer) => writer.state === 'ready' && writer.credits >= 2_000), 'writers hold credit');
    for (let index = 0; index < 2_000; index++) {
      expect(writers[0]!.tryPut(`a${index}`)).toBe('sent');
      expect(writers[1]!.tryPut(`b${index}`)).toBe('sent');
    }
    queue.host.close(); // same turn: the items are still in the writers' outboxes
    await queue.host.whenWritersEnded();
    expect(queue.host.size).toBe(4_000);
    expect(writers.map((writer) => writer.state)).toEqual(['ended', 'ended']);
    expect(writers[0]!.tryPut('late')).toBe('refused');
    await queue.close();
  });
});

describe('a lossy queue over a socket', () => {
  it('drops the oldest items and counts every drop exactly', async () => {
    const queue = await hostQueue({ capacity: 10, lossy: true });
    const writer = queue.writer();
    await until(() => writer.state === 'ready', 'writer ready');
    const total = 5_000;
    for (let index = 0; index < total; index++) {
      expect(writer.tryPut(index)).toBe('sent');
      if (index % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await writer.flushed();
    await until(() => queue.host.received + writer.dropped === total, 'every item arrived or was dropped');
    await until(() => queue.host.size + queue.host.dropped + writer.dropped === total, 'accounting settled');
    expect(queue.host.size).toBe(10);
    expect(queue.host.take(10)).toEqual(Array.from({ length: 10 }, (_, index) => total - 10 + index));
    expect(queue.host.dropped + writer.dropped).toBe(total - 10);
    await queue.close();
  });

  it('delivers what it accepted when it ends before the host answered', async () => {
    const queue = await hostQueue({ capacity: 5, lossy: true });
    const writer = queue.writer();
    // The host has not answered yet (the socket may not even be open): a lossy writer accepts ...
    expect(writer.state).toBe('connecting');
    for (let index = 0; index < 20; index++) expect(writer.tryPut(index)).toBe('sent');
    // ... and ends at once, as a producer that stops right after its last work does.
    await writer.end();
    await until(() => queue.host.received + writer.dropped === 20, 'every item arrived or was dropped');
    expect(writer.drops.lost).toBe(0);
    expect(queue.host.take(5)).toEqual([15, 16, 17, 18, 19]);
    await queue.close();
  });

  it('never makes a writer wait, even with no host yet', async () => {
    const queue = await hostQueue({ capacity: 3, lossy: true });
    const writer = queue.writer();
    writer.bind('pending');
    for (let index = 0; index < 10; index++) expect(writer.tryPut(index)).toBe('sent');
    expect(writer.pending).toBe(3);
    expect(writer.dropped).toBe(7);
    writer.bind(queue.address);
    await until(() => queue.host.size === 3, 'buffered items delivered');
    expect(queue.host.take(3)).toEqual([7, 8, 9]);
    await queue.close();
  });
});
