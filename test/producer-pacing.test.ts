import { Collector, HeapWatcher, Stamper } from './fixtures/workers.mjs';
import { cpuSeconds } from './helpers/processes.js';
import { collect, nextEvent, whenCount } from './helpers/events.js';

describe('producer pacing', () => {
  it('delivers 500 ± 10 items in 5 s at 100 Hz (drift-free schedule)', async () => {
    const consumer = new Collector({ workTimeout: 100, maxBufferSize: 1000 });
    const producer = new Stamper({ workTimeout: 10, subscribers: [consumer.getWorkQueue()] });
    const batches = collect<Array<{ seq: number; t: number }>>(consumer, 'result');
    await consumer.start();
    await producer.start();
    await new Promise((resolve) => setTimeout(resolve, 5600));
    await producer.stop();
    await consumer.stopAtQueueEnd();
    const items = batches.flat();
    const first = items[0]!.t;
    const inWindow = items.filter((item) => item.t - first < 5e9).length;
    expect(inWindow).toBeGreaterThanOrEqual(490);
    expect(inWindow).toBeLessThanOrEqual(510);
    expect(items.map((item) => item.seq)).toEqual(items.map((_, index) => index));
  });

  it('keeps nothing per call: a producer paced at 1 kHz for 3 s grows its heap by under 300 bytes a call (a leak was 1.1 KB)', async () => {
    type Heap = { heapUsed: number; calls: number };
    const producer = new HeapWatcher({ workTimeout: 1, execArgv: ['--expose-gc'] });
    const heap = async (): Promise<Heap> => {
      const reply = nextEvent<Heap>(producer, 'message');
      producer.sendMessage('heap');
      return reply;
    };
    await producer.start();
    // Past the first calls' compilations (code and type feedback live on the heap too): a second of calls.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = await heap();
    await new Promise((resolve) => setTimeout(resolve, 3000)); // time is the behaviour: calls on a timer
    const after = await heap();
    await producer.stop();
    const calls = after.calls - before.calls;
    expect(calls).toBeGreaterThan(1000); // enough calls for a leak to show (it was ~1.1 KB a call)
    expect((after.heapUsed - before.heapUsed) / calls).toBeLessThan(300);
  });

  it('calls work right after onStart, not one period later', async () => {
    const producer = new Stamper({ workTimeout: 3000 });
    const firstResult = nextEvent(producer, 'result');
    await producer.start();
    const startedAt = performance.now();
    await firstResult;
    expect(performance.now() - startedAt).toBeLessThan(1000);
    await producer.stop();
  });

  it('does not busy-wait: a 1 Hz producer and an idle consumer use under 5% of a core together', async () => {
    const consumer = new Collector({ workTimeout: 5000 });
    const producer = new Stamper({ workTimeout: 1000, subscribers: [consumer.getWorkQueue()] });
    const results = collect(producer, 'result');
    await consumer.start();
    await producer.start();
    // Let both settle after boot (module loading is not idling): wait for the producer's second call, one period in.
    await whenCount(producer, 'result', results, 2);
    const pids = [consumer.pid!, producer.pid!];
    const before = pids.map(cpuSeconds);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const used = pids.map(cpuSeconds).reduce((sum, after, index) => sum + after - before[index]!, 0);
    await producer.stop();
    await consumer.stop();
    expect(used / 3).toBeLessThan(0.05);
  });
});
