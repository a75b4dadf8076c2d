import { ReadyQueue, putInQueue } from '@prodcon/core';
import { Collector, Counter, Forwarder, Gate } from './fixtures/workers.mjs';
import { SlowLoadingCollector } from './fixtures/slow-loading.mjs';
import { collect, eventually, nextEvent } from './helpers/events.js';
import { withLoadGate } from './helpers/load-gate.js';
import { stalledConsumer } from './helpers/stalled.js';
import { forEachTransport } from './conformance/transports.js';

forEachTransport("a consumer's queue", (transport) => {
  it('is ready exactly while the consumer runs, and refuses (counting) otherwise', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 20 }));
    const queue = consumer.getWorkQueue();
    expect(queue.isReady()).toBe(false);
    expect(await putInQueue(queue, 'before')).toBe(false);
    await consumer.start();
    expect(queue.isReady()).toBe(true);
    const got = nextEvent<unknown[]>(consumer, 'result');
    expect(await putInQueue(queue, 'during')).toBe(true);
    expect(await got).toEqual(['during']);
    await consumer.stop();
    expect(queue.isReady()).toBe(false);
    expect(await queue.put('after')).toBe(false);
    expect(queue.dropped).toBe(2);
    expect(queue.drops).toEqual({ overflow: 0, refused: 2, cleared: 0, stopped: 0, lost: 0 });
  });

  it('refuses while set not ready, clears what it held, and accepts again when set ready', async () => {
    const consumer = new Gate(transport.consumer({ workTimeout: 0 }));
    const blocked = nextEvent(consumer, 'message');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    await queue.put('worked first');
    await blocked; // the consumer is stuck in its first work call; the next items wait in the queue
    for (const item of ['a', 'b', 'c']) await queue.put(item);
    await eventually(() => queue.size === 3, 'three items queued');
    queue.setNotReady();
    expect(queue.isReady()).toBe(false);
    expect(await queue.put('refused')).toBe(false);
    await eventually(() => queue.size === 0 && queue.dropped === 4, 'cleared and counted');
    expect(queue.drops).toMatchObject({ cleared: 3, refused: 1, overflow: 0 });
    queue.setReady();
    const batches = collect<unknown[]>(consumer, 'result');
    expect(await queue.put('accepted')).toBe(true);
    consumer.sendMessage('go');
    await eventually(() => batches.flat().includes('accepted'), 'accepted item worked');
    await consumer.stop();
    expect(batches.flat()).toEqual(['worked first', 'accepted']);
  });

  it('set not ready while its consumer is still loading: stays not ready once the consumer runs', async () => {
    await withLoadGate(async (openGate) => {
      const consumer = new SlowLoadingCollector(transport.consumer({ workTimeout: 20 }));
      const queue = consumer.getWorkQueue();
      const producer = new Counter({ args: { stopAt: 50 }, subscribers: [queue] });
      const batches = collect<unknown[]>(consumer, 'result');
      const consumerStarted = consumer.start();
      await eventually(() => consumer.pid !== undefined, "the consumer's child exists");
      queue.setNotReady(); // its child is importing its module: the queue is not hosted yet
      openGate();
      await consumerStarted;
      expect(queue.isReady()).toBe(false);
      const producerDone = nextEvent(producer, 'state', (state) => state === 'stopped');
      await producer.start();
      await producerDone;
      await eventually(() => queue.dropped === 50, 'every item refused and counted');
      queue.setReady();
      expect(await putInQueue(queue, 'after')).toBe(true);
      await consumer.stopAtQueueEnd();
      expect(batches.flat()).toEqual(['after']);
    });
  }, 20_000);

  it('when lossy and full, drops the oldest items put by the main process, counting each', async () => {
    const consumer = new Gate(transport.consumer({ workTimeout: 0, lossy: true, queueSize: 5 }));
    const batches = collect<number[]>(consumer, 'result');
    const blocked = nextEvent(consumer, 'message');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    await queue.put(-1);
    await blocked;
    for (let index = 0; index < 50; index++) expect(await queue.put(index)).toBe(true);
    await eventually(() => queue.size === 5, 'queue full');
    consumer.sendMessage('go');
    await consumer.stopAtQueueEnd();
    const worked = batches.flat();
    expect(worked).toEqual([-1, 45, 46, 47, 48, 49]);
    expect(queue.dropped).toBe(45);
    expect(queue.drops).toEqual({ overflow: 45, refused: 0, cleared: 0, stopped: 0, lost: 0 });
  });

  it('when lossy and full, drops the oldest items of a producer too, and the producer never waits', async () => {
    const consumer = new Gate(transport.consumer({ workTimeout: 0, lossy: true, queueSize: 5 }));
    const producer = new Counter({ subscribers: [consumer.getWorkQueue()], args: { stopAt: 2_000 } });
    const batches = collect<number[]>(consumer, 'result');
    const blocked = nextEvent(consumer, 'message');
    await consumer.start();
    await consumer.getWorkQueue().put(-1);
    await blocked;
    const producerDone = nextEvent(producer, 'state', (state) => state === 'stopped');
    await producer.start();
    await producerDone; // 2,000 items produced while nothing was consumed: it never blocked
    consumer.sendMessage('go');
    await consumer.stopAtQueueEnd();
    const worked = batches.flat();
    const queue = consumer.getWorkQueue();
    expect(worked.slice(-5)).toEqual([1995, 1996, 1997, 1998, 1999]);
    expect(worked.length - 1 + queue.dropped).toBe(2_000);
    expect(queue.drops.overflow).toBe(queue.dropped); // the host's ring or the writer's buffer: both overflow
  });

  it('when lossless and full, holds the producer back: memory stays bounded, nothing is lost', async () => {
    const { consumer, produced, batches, release } = await stalledConsumer(transport.consumer({ workTimeout: 0, queueSize: 100 }), 5_000);
    await eventually(() => consumer.getWorkQueue().size >= 100, 'queue full');
    const stalledAt = produced.length;
    await new Promise((resolve) => setTimeout(resolve, 500)); // a stalled consumer for half a second
    expect(produced.length).toBe(stalledAt);
    expect(produced.length).toBeLessThanOrEqual(100 + 2); // the queue, plus the item in the blocked work call
    await release();
    expect(batches.flat()).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
  });

  it('reached through a handle in args: another process puts into it, in order', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 20, maxBufferSize: 100 }));
    const batches = collect<number[]>(consumer, 'result');
    await consumer.start();
    const forwarder = new Forwarder({ args: { queue: consumer.getWorkQueue(), stopAt: 500 } });
    const done = nextEvent(forwarder, 'state', (state) => state === 'stopped');
    await forwarder.start();
    await done;
    await consumer.stopAtQueueEnd();
    expect(batches.flat()).toEqual(Array.from({ length: 500 }, (_, index) => index));
  });
});

describe('a queue consumed by the main process', () => {
  it('receives items from a producer child, in order', async () => {
    const queue = new ReadyQueue<number>({ capacity: 50 });
    const producer = new Counter({ subscribers: [queue], args: { stopAt: 300 } });
    await producer.start();
    const received: number[] = [];
    for await (const item of queue) {
      received.push(item);
      if (received.length === 300) break;
    }
    expect(received).toEqual(Array.from({ length: 300 }, (_, index) => index));
    await producer.stop();
  });
});

describe("un-awaited puts into a consumer's queue from the main process", () => {
  it('are all delivered once, in call order, through a small queue', async () => {
    const consumer = new Collector({ workTimeout: 0, maxBufferSize: 100, queueSize: 100 });
    const batches = collect<number[]>(consumer, 'result');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    const puts = Array.from({ length: 20_000 }, (_, index) => queue.put(index));
    expect(await Promise.all(puts)).toEqual(puts.map(() => true));
    await consumer.stopAtQueueEnd();
    expect(batches.flat()).toEqual(Array.from({ length: 20_000 }, (_, index) => index));
    expect(queue.dropped).toBe(0);
  });
});
