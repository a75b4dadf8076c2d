import { SlowLoadingCounter } from './fixtures/slow-loading.mjs';
import { Collector, Counter } from './fixtures/workers.mjs';
import { collect, eventually, nextEvent } from './helpers/events.js';
import { withLoadGate } from './helpers/load-gate.js';
import { forEachTransport } from './conformance/transports.js';

forEachTransport('fan-in and fan-out', (transport) => {
  it('two producers into one consumer: every item once, each producer in order', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 20, maxBufferSize: 100 }));
    const producers = ['mary', 'james'].map(
      (tag) => new Counter({ name: tag, args: { tag, stopAt: 2_000 }, subscribers: [consumer.getWorkQueue()] }),
    );
    const batches = collect<Array<{ tag: string; seq: number }>>(consumer, 'result');
    await consumer.start();
    const done = producers.map((producer) => nextEvent(producer, 'state', (state) => state === 'stopped'));
    await Promise.all(producers.map((producer) => producer.start()));
    await Promise.all(done);
    await consumer.stopAtQueueEnd();
    const items = batches.flat();
    expect(items.length).toBe(4_000);
    for (const tag of ['mary', 'james']) {
      expect(items.filter((item) => item.tag === tag).map((item) => item.seq)).toEqual(
        Array.from({ length: 2_000 }, (_, index) => index),
      );
    }
  });

  it('one producer into two consumers: each gets every item once', async () => {
    const consumers = [
      new Collector(transport.consumer({ name: 'left', workTimeout: 20, maxBufferSize: 100 })),
      new Collector(transport.consumer({ name: 'right', workTimeout: 20, maxBufferSize: 500 })),
    ];
    const producer = new Counter({ args: { stopAt: 3_000 }, subscribers: consumers.map((consumer) => consumer.getWorkQueue()) });
    const received = consumers.map((consumer) => collect<number[]>(consumer, 'result'));
    await Promise.all(consumers.map((consumer) => consumer.start()));
    const done = nextEvent(producer, 'state', (state) => state === 'stopped');
    await producer.start();
    await done;
    await Promise.all(consumers.map((consumer) => consumer.stopAtQueueEnd()));
    for (const batches of received) {
      expect(batches.flat()).toEqual(Array.from({ length: 3_000 }, (_, index) => index));
    }
  });

  it('a producer started in the same breath as its consumer waits for it instead of losing items (lossless)', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 20, maxBufferSize: 100 }));
    const producer = new Counter({ args: { stopAt: 500 }, subscribers: [consumer.getWorkQueue()] });
    const batches = collect<number[]>(consumer, 'result');
    const done = nextEvent(producer, 'state', (state) => state === 'stopped');
    await Promise.all([producer.start(), consumer.start()]);
    await done;
    await consumer.stopAtQueueEnd();
    expect(batches.flat()).toEqual(Array.from({ length: 500 }, (_, index) => index));
  });

  it('a producer whose module is still loading when its consumer starts connects to the running consumer', async () => {
    // The consumer's address reaches the producer's child while that child still imports its
    // module; connecting afterwards must use that address, not the spec's older "pending".
    await withLoadGate(async (openGate) => {
      const consumer = new Collector(transport.consumer({ workTimeout: 20, maxBufferSize: 100 }));
      const producer = new SlowLoadingCounter({ args: { stopAt: 200 }, subscribers: [consumer.getWorkQueue()] });
      const batches = collect<number[]>(consumer, 'result');
      const done = nextEvent(producer, 'state', (state) => state === 'stopped');
      const producerStarted = producer.start();
      await consumer.start();
      openGate();
      await producerStarted;
      await done;
      await consumer.stopAtQueueEnd();
      expect(batches.flat()).toEqual(Array.from({ length: 200 }, (_, index) => index));
    });
  }, 20_000);

  it('a producer running while its consumer is stopped drops its items, counted, and delivers once the consumer starts', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 20, maxBufferSize: 100 }));
    const queue = consumer.getWorkQueue();
    const producer = new Counter({ workTimeout: 2, subscribers: [queue] });
    const batches = collect<number[]>(consumer, 'result');
    await producer.start();
    await eventually(() => queue.dropped >= 20, 'items refused while the consumer is stopped');
    await consumer.start();
    await eventually(() => batches.flat().length >= 20, 'items delivered once it runs');
    await producer.stop();
    await consumer.stopAtQueueEnd();
    const delivered = batches.flat();
    // Every item produced was either delivered (in order, no gap) or counted as dropped.
    expect(delivered).toEqual(Array.from({ length: delivered.length }, (_, index) => delivered[0]! + index));
    expect(queue.dropped + delivered.length).toBe(delivered.at(-1)! + 1);
  });
});
