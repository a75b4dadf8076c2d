// Items through a real producer and consumer with the default codec: flat records of one shape travel
// as columns frames (keys once, values in columns), a run of odd ones in fallback frames; every item
// arrives once, in order, with exactly its values and its keys in order.
import { Collector, Records, recordAt } from './fixtures/workers.mjs';
import { collect, nextEvent } from './helpers/events.js';
import { forEachTransport } from './conformance/transports.js';

const COUNT = 20_000;

forEachTransport('records of one shape (the columns frame)', (transport) => {
  it('arrive once, in order, exactly: values, -0, unicode and key order included', async () => {
    const consumer = new Collector(transport.consumer({ workTimeout: 0, maxBufferSize: 1000 }));
    const producer = new Records({ workTimeout: 0, args: { stopAt: COUNT }, subscribers: [consumer.getWorkQueue()] });
    const batches = collect<Array<Record<string, unknown>>>(consumer, 'result');
    await consumer.start();
    const done = nextEvent(producer, 'state', (state) => state === 'stopped');
    await producer.start();
    await done;
    await consumer.stopAtQueueEnd();
    const items = batches.flat();
    const expected = Array.from({ length: COUNT }, (_, seq) => recordAt(seq) as Record<string, unknown>);
    expect(items.length).toBe(COUNT);
    expect(items).toEqual(expected);
    // toEqual ignores key order; JSON text does not. -0 is checked apart (JSON writes it 0).
    expect(JSON.stringify(items)).toBe(JSON.stringify(expected));
    expect(Object.is(items[1002].t, -0)).toBe(true);
    // Plain objects (of this realm or, for results v8 decoded, the main one), nothing set as a prototype.
    for (const item of items) expect(Object.getPrototypeOf(Object.getPrototypeOf(item))).toBeNull();
  });
});
