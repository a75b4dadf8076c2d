import { ConsumerPool, WorkerError } from '@prodcon/core';
import { Collector, Counter, Failing, Gate, Patient } from './fixtures/workers.mjs';
import { collect, eventually, nextEvent } from './helpers/events.js';
import { isDead } from './helpers/processes.js';

describe('stopping', () => {
  it('takes well under 100 ms for an idle consumer, whatever its workTimeout', async () => {
    const consumer = new Collector({ workTimeout: 5000 });
    await consumer.start();
    const pid = consumer.pid!;
    const asked = performance.now();
    await consumer.stop();
    expect(performance.now() - asked).toBeLessThan(100);
    expect(isDead(pid)).toBe(true);
  });

  it('aborts ctx.signal at once, so a work that honours it stops quickly', async () => {
    const consumer = new Patient({ workTimeout: 0 });
    const working = nextEvent(consumer, 'message', (message) => message === 'working');
    await consumer.start();
    await consumer.getWorkQueue().put('x');
    await working;
    const asked = performance.now();
    await consumer.stop();
    expect(performance.now() - asked).toBeLessThan(500);
  });

  it('kills a work that ignores its signal after the timeout, and says so', async () => {
    const producer = new Failing({ args: { failIn: 'work', how: 'hang' } });
    await producer.start();
    const pid = producer.pid!;
    const asked = performance.now();
    const stopping = producer.stop({ timeout: 300 });
    await expect(stopping).rejects.toThrow(WorkerError);
    await stopping.catch((error: WorkerError) => {
      expect(error.code).toBe('ERR_STOP_TIMEOUT');
      expect(error.worker).toBe('Failing');
      expect(error.phase).toBe('work');
      expect(error.message).toMatch(/its work did not return/);
    });
    const took = performance.now() - asked;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2000);
    expect(producer.getState()).toBe('stopped');
    expect(isDead(pid)).toBe(true);
  });

  it('names onStop as the phase when onStop is what hangs', async () => {
    const producer = new Failing({ workTimeout: 10, args: { failIn: 'onStop', how: 'hang' } });
    const onStopRan = nextEvent(producer, 'message', (message) => message === 'onStop ran');
    await producer.start();
    const stopping = producer.stop({ timeout: 300 });
    await onStopRan;
    const error = (await stopping.catch((thrown: WorkerError) => thrown)) as WorkerError;
    expect(error).toMatchObject({ code: 'ERR_STOP_TIMEOUT', phase: 'onStop' });
    expect(producer.getState()).toBe('stopped');
  });

  it("names prodcon's own phase, not a hook, when the child is stuck after its hooks returned", async () => {
    // A pool member stuck in its first work never acknowledges: the producer's writer, flushing at its
    // end, waits for those acknowledgements after onStop returned.
    const pool = new ConsumerPool(Gate, { size: 1, workTimeout: 0, queueSize: 100 });
    const blocked = nextEvent(pool, 'message', (message) => message === 'blocked');
    await pool.start();
    const producer = new Counter({ subscribers: [pool.getWorkQueue()] });
    await producer.start();
    await blocked;
    try {
      const error = (await producer.stop({ timeout: 500 }).catch((thrown: WorkerError) => thrown)) as WorkerError;
      expect(error).toMatchObject({ code: 'ERR_STOP_TIMEOUT', phase: 'flushing', worker: 'Counter' });
      expect(error.message).toMatch(/its hooks had returned; it was still flushing its writers/);
      expect(error.message).not.toMatch(/did not return/);
      expect(producer.getState()).toBe('stopped');
    } finally {
      await pool.terminate();
    }
  });

  it('gives the items already buffered one final work call; what is queued behind them is dropped and counted', async () => {
    const consumer = new Collector({ workTimeout: 60_000, maxBufferSize: 100 });
    const batches = collect<number[]>(consumer, 'result');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    for (let index = 0; index < 5; index++) await queue.put(index);
    await eventually(() => queue.size === 5, 'the consumer holds the 5 items');
    await consumer.stop();
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
    expect(queue.dropped).toBe(0);
  });

  it('counts what was still queued behind the batch under way as dropped because its consumer stopped', async () => {
    const consumer = new Gate({ workTimeout: 0, maxBufferSize: 1 });
    const blocked = nextEvent(consumer, 'message');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    await queue.put('held');
    await blocked; // work is stuck on the first item
    for (const item of ['a', 'b', 'c']) await queue.put(item);
    await eventually(() => queue.size === 3, 'three items queued behind it');
    await consumer.stop();
    expect(queue.drops).toEqual({ overflow: 0, refused: 0, cleared: 0, stopped: 3, lost: 0 });
  });
});
