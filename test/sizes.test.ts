// Values too large for one frame are refused where they are sent, with an error that names the
// worker, the kind of value and the limit; nothing else on the connection is lost. A limit of
// 1 MiB (set for this file's main process and, through it, for its children) keeps the values small.
import { SizeError, WorkerError, configure } from '@prodcon/core';
import { Collector, Lengths, Sized } from './fixtures/workers.mjs';
import { collect, nextEvent } from './helpers/events.js';

const MiB = 1024 * 1024;
beforeAll(() => configure({ maxFrameBytes: MiB }));

describe('a value larger than a frame', () => {
  it('from a producer: refused with a SizeError that fails its work; every item before it arrives', async () => {
    const consumer = new Lengths({ workTimeout: 20, maxBufferSize: 100 });
    const producer = new Sized({ args: { sizes: [10, 300_000, 20, 400_000, 2 * MiB, 30] }, subscribers: [consumer.getWorkQueue()] });
    const lengths = collect<number[]>(consumer, 'result');
    const failed = nextEvent<WorkerError>(producer, 'error');
    await consumer.start();
    await producer.start();
    const error = await failed;
    expect(error).toMatchObject({ code: 'ERR_WORKER_FAILED', phase: 'work', worker: 'Sized' });
    expect(error.message).toMatch(/failed in work: SizeError: Cannot send item of 2\.0 MiB: over the frame limit of 1\.0 MiB/);
    await nextEvent(producer, 'state', (state) => state === 'stopped');
    await consumer.stopAtQueueEnd();
    expect(lengths.flat()).toEqual([10, 300_000, 20, 400_000]);
    expect(consumer.getWorkQueue().dropped).toBe(0);
  });

  it('splits batches that would not fit in one frame: many large items all arrive', async () => {
    const consumer = new Lengths({ workTimeout: 20, maxBufferSize: 1000 });
    const sizes = Array.from({ length: 30 }, (_, index) => 200_000 + index);
    const producer = new Sized({ args: { sizes }, subscribers: [consumer.getWorkQueue()] });
    const lengths = collect<number[]>(consumer, 'result');
    await consumer.start();
    await producer.start();
    await nextEvent(producer, 'state', (state) => state === 'stopped');
    await consumer.stopAtQueueEnd();
    expect(lengths.flat()).toEqual(sizes);
  });

  it('put from the main process: the put rejects, and the next item still gets through', async () => {
    const consumer = new Lengths({ workTimeout: 20 });
    const lengths = collect<number[]>(consumer, 'result');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    await expect(queue.put('x'.repeat(2 * MiB))).rejects.toBeInstanceOf(SizeError);
    expect(await queue.put('small')).toBe(true);
    await consumer.stopAtQueueEnd();
    expect(lengths.flat()).toEqual([5]);
  });

  it('as a message: sendMessage throws, naming the worker and the limit; the worker keeps running', async () => {
    const consumer = new Collector({ workTimeout: 20 });
    await consumer.start();
    expect(() => consumer.sendMessage({ blob: 'x'.repeat(2 * MiB) })).toThrow(SizeError);
    expect(() => consumer.sendMessage({ blob: 'x'.repeat(2 * MiB) })).toThrow(
      /^Worker 'Collector': Cannot send message of 2\.0 MiB: over the frame limit of 1\.0 MiB/,
    );
    expect(consumer.getState()).toBe('started');
    await consumer.stop();
  });

  it('as a result: the work that returned it fails, naming the result', async () => {
    const consumer = new Lengths({ workTimeout: 20, args: { resultSize: 2 * MiB } });
    consumer.on('result', () => {});
    const failed = nextEvent<WorkerError>(consumer, 'error');
    await consumer.start();
    await consumer.getWorkQueue().put('go');
    expect((await failed).message).toMatch(/failed in work: SizeError: Cannot send result of 2\.0 MiB/);
  });

  it('as args: start() rejects at once, and the worker stays stopped', async () => {
    const producer = new Sized();
    await expect(producer.start({ args: { sizes: [1], blob: 'x'.repeat(2 * MiB) } })).rejects.toThrow(
      /^Worker 'Sized': Cannot send args of 2\.0 MiB: over the frame limit of 1\.0 MiB/,
    );
    expect(producer.getState()).toBe('stopped');
  });
});
