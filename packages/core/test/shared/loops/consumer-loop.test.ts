import { jest } from '@jest/globals';
import { QueueHost, Signal, putWhenWritable } from '@prodcon/ipc';
import { consumerLoop } from '../../../src/shared/loops/consumer-loop.js';
import { fakeLoopControl } from './fake-control.js';

/** The loop's control, in-process: a real queue host, work that records its batches. */
function harness(options: { workTimeout: number; maxBufferSize: number }) {
  const queue = new QueueHost({ queueId: 'q', name: 'test queue', capacity: 1000, lossy: false });
  const batches: unknown[][] = [];
  const worked = new Signal();
  const { control, setState } = fakeLoopControl({
    workTimeout: options.workTimeout,
    maxBufferSize: options.maxBufferSize,
    queue,
    runWork: (items?: unknown[]) => {
      batches.push(items!);
      worked.notify();
      return undefined;
    },
  });
  const stop = () => setState('stopped');
  return { queue, batches, worked, control, stop, writer: queue.createLocalWriter('test') };
}

describe('consumerLoop', () => {
  it('arms one flush timer per batch, not one per arriving item, and flushes by it', async () => {
    const { batches, worked, control, stop, writer } = harness({ workTimeout: 300, maxBufferSize: 100 });
    const setTimeoutSpy = jest.spyOn(globalThis, 'setTimeout');
    const looping = consumerLoop(control);
    const started = performance.now();
    for (let index = 0; index < 20; index++) {
      await putWhenWritable(writer, index);
      await new Promise((resolve) => setImmediate(resolve)); // let the loop see each item on its own
    }
    const timersWhileArriving = setTimeoutSpy.mock.calls.length;
    await worked.wait();
    const flushedAfter = performance.now() - started;
    setTimeoutSpy.mockRestore();
    expect(batches).toEqual([Array.from({ length: 20 }, (_, index) => index)]);
    expect(timersWhileArriving).toBeLessThanOrEqual(1);
    expect(flushedAfter).toBeGreaterThanOrEqual(250); // by the timer, workTimeout after the loop began
    stop();
    await looping;
  });

  it('gives what is buffered one last work call when stopped', async () => {
    const { batches, control, stop, writer } = harness({ workTimeout: 60_000, maxBufferSize: 100 });
    const looping = consumerLoop(control);
    for (const item of ['a', 'b']) await putWhenWritable(writer, item);
    await new Promise((resolve) => setImmediate(resolve));
    stop();
    await looping;
    expect(batches).toEqual([['a', 'b']]);
  });
});

describe('consumerLoop waiting for items', () => {
  it('leaves no listener behind on the state per wait: a long run does not grow', async () => {
    const { control, stop, writer, worked } = harness({ workTimeout: 10_000, maxBufferSize: 1 });
    let subscribed = 0;
    let unsubscribed = 0;
    const onStateChange = control.onStateChange;
    control.onStateChange = (listener) => {
      subscribed++;
      const unsubscribe = onStateChange(listener);
      return () => {
        unsubscribed++;
        unsubscribe();
      };
    };
    const looping = consumerLoop(control);
    for (let item = 0; item < 200; item++) {
      writer.tryPut(item);
      await worked.wait();
      await new Promise((resolve) => setImmediate(resolve)); // the loop waits for the next item
    }
    expect(subscribed).toBeGreaterThanOrEqual(200);
    expect(subscribed - unsubscribed).toBeLessThanOrEqual(1); // only the wait under way
    stop();
    await looping;
  });
});
