import { ReadyQueue, putInQueue } from '../../src/api/ready-queue.js';

describe('a ReadyQueue consumed in the main process', () => {
  it('is ready when created, and gives items back in order', async () => {
    const queue = new ReadyQueue<number>();
    expect(queue.isReady()).toBe(true);
    for (let index = 0; index < 5; index++) expect(await putInQueue(queue, index)).toBe(true);
    expect(queue.size).toBe(5);
    const got = [];
    for (let index = 0; index < 5; index++) got.push(await queue.get());
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('get() waits for the next item', async () => {
    const queue = new ReadyQueue<string>();
    const waiting = queue.get();
    await queue.put('late');
    await expect(waiting).resolves.toBe('late');
  });

  it('refuses and counts when not ready; setNotReady clears (counted too)', async () => {
    const queue = new ReadyQueue<number>({ ready: false });
    expect(await queue.put(1)).toBe(false);
    queue.setReady();
    await queue.put(2);
    await queue.put(3);
    queue.setNotReady();
    expect(queue.size).toBe(0);
    expect(await queue.put(4)).toBe(false);
    expect(queue.dropped).toBe(4); // 1 refused, 2 and 3 cleared, 4 refused
  });

  it('when lossy and full, drops the oldest item on each put', async () => {
    const queue = new ReadyQueue<number>({ capacity: 3, lossy: true });
    for (let index = 0; index < 10; index++) expect(await queue.put(index)).toBe(true);
    expect(queue.dropped).toBe(7);
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual([7, 8, 9]);
  });

  it('when lossless and full, makes put() wait for room', async () => {
    const queue = new ReadyQueue<number>({ capacity: 2 });
    await queue.put(1);
    await queue.put(2);
    let thirdDone = false;
    const third = queue.put(3).then((accepted) => {
      thirdDone = true;
      return accepted;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(thirdDone).toBe(false);
    expect(await queue.get()).toBe(1);
    expect(await third).toBe(true);
    expect(queue.size).toBe(2);
    expect(queue.dropped).toBe(0);
  });

  it('clear() drops everything queued, counted', async () => {
    const queue = new ReadyQueue<number>();
    await queue.put(1);
    queue.clear();
    expect(queue.size).toBe(0);
    expect(queue.dropped).toBe(1);
  });

  it('is async-iterable', async () => {
    const queue = new ReadyQueue<number>();
    for (const value of [1, 2, 3]) await queue.put(value);
    const seen: number[] = [];
    for await (const value of queue) {
      seen.push(value);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});
