import { Collector, Drainer, Counter } from './fixtures/workers.mjs';
import { collect, nextEvent, whenCount } from './helpers/events.js';
import { forEachTransport } from './conformance/transports.js';

forEachTransport('consumer batching', (transport) => {
  it('flushes at maxBufferSize, and flushes a partial buffer by timer with no new item', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 300, maxBufferSize: 3 }));
    const batches = collect<number[]>(consumer, 'result');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    for (let index = 0; index < 7; index++) expect(await queue.put(index)).toBe(true);
    const putDone = performance.now();
    await whenCount(consumer, 'result', batches, 3);
    const lastBatchAfter = performance.now() - putDone;
    expect(batches).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(lastBatchAfter).toBeLessThan(2000); // the timer flushed it: nothing else arrived
    await consumer.stop();
  });

  it('keeps order with no loss or duplicate on the lossless path', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 50, maxBufferSize: 250 }));
    const producer = new Counter({ subscribers: [consumer.getWorkQueue()], args: { stopAt: 20_000 } });
    const batches = collect<number[]>(consumer, 'result');
    await consumer.start();
    const producerStopped = nextEvent(producer, 'state', (state) => state === 'stopped');
    await producer.start();
    await producerStopped;
    await consumer.stopAtQueueEnd();
    const items = batches.flat();
    expect(items.length).toBe(20_000);
    expect(items).toEqual(Array.from({ length: 20_000 }, (_, index) => index));
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(250);
  });
});

forEachTransport('stopAtQueueEnd', (transport) => {
  it('consumes all of 20,000 queued items, in order, then onStop, then stopped', async () => {
    const consumer = new Drainer(transport.consumer({ workTimeout: 5000, maxBufferSize: 1000, queueSize: 20_000, args: { delayMs: 20 } }));
    const batches = collect<number[]>(consumer, 'result');
    const messages = collect<{ onStop: boolean; seen: number }>(consumer, 'message');
    const states = collect<string>(consumer, 'state');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    const accepted = await Promise.all(Array.from({ length: 20_000 }, (_, index) => queue.put(index)));
    expect(accepted.every(Boolean)).toBe(true);
    expect(batches.flat().length).toBeLessThan(20_000); // still queued when the drain starts
    await consumer.stopAtQueueEnd();
    expect(batches.flat()).toEqual(Array.from({ length: 20_000 }, (_, index) => index));
    expect(messages).toEqual([{ onStop: true, seen: 20_000, state: 'stopped' }]);
    expect(states).toEqual(['started', 'stopAtQueueEnd', 'stopped']);
    expect(queue.dropped).toBe(0);
  });

  it('completes at once on an empty queue', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 5000 }));
    await consumer.start();
    const asked = performance.now();
    await consumer.stopAtQueueEnd();
    expect(performance.now() - asked).toBeLessThan(300);
    expect(consumer.getState()).toBe('stopped');
  });

  it('refuses puts from the main process once draining', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 5000 }));
    await consumer.start();
    const draining = consumer.stopAtQueueEnd();
    expect(consumer.getState()).toBe('stopAtQueueEnd');
    expect(await consumer.getWorkQueue().put('late')).toBe(false);
    await draining;
    expect(consumer.getWorkQueue().dropped).toBe(1);
  });
});
