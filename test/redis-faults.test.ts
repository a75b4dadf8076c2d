/**
 * Faults of the Redis transport, each against a private redis-server: a
 * lossy queue fed far too fast, a stalled lossless consumer, connections
 * paused and killed, the server restarted with and without persistence, an
 * eviction policy refused.
 */
import { WorkerError, type ReadyQueue, type Worker } from '@prodcon/core';
import { closeRedis, onTransportError, redisQueue, redisQueueStats } from '@prodcon/redis';
import { Collector, Counter, Gate } from './fixtures/workers.mjs';
import { collect, eventually, nextEvent } from './helpers/events.js';
import { describeWithRedis, freshNamespace, startPrivateRedis, type PrivateRedis } from './helpers/redis.js';
import { stalledConsumer } from './helpers/stalled.js';

const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** Where a Redis queue's keys are (its binding is internal to prodcon: read it for the test's redis-cli). */
function engineOf(queue: ReadyQueue): { namespace: string; queue: string } {
  return (queue as unknown as { binding(): { engine: { namespace: string; queue: string } } }).binding().engine;
}

/**
 * A lossless run of `count` items from a paced producer into a collecting
 * consumer on `jobs`: `during` is done to the engine once items flow; then
 * the producer finishes, the consumer drains. Resolves with what was worked.
 */
async function flowingRun(jobs: ReadyQueue, count: number, during: () => Promise<void> | void): Promise<number[]> {
  const consumer = new Collector({ workTimeout: 10, maxBufferSize: 200, queue: jobs });
  const producer = new Counter({ workTimeout: 0.1, subscribers: [jobs], args: { stopAt: count } });
  const batches = collect<number[]>(consumer, 'result');
  await consumer.start();
  const done = nextEvent(producer, 'state', (state) => state === 'stopped');
  await producer.start();
  await eventually(() => batches.flat().length > 2_000, 'items flowing');
  await during();
  await done;
  await consumer.stopAtQueueEnd();
  return batches.flat();
}

/** Samples `read()` every 10 ms until `until` settles; returns the samples. */
async function sampleWhile(until: Promise<unknown>, read: () => number): Promise<number[]> {
  const samples: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    samples.push(read());
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return samples;
}

describeWithRedis('the Redis transport under faults', () => {
  let redis: PrivateRedis;
  let queues = 0;
  const queue = (options: { capacity?: number; lossy?: boolean } = {}, server = redis): ReadyQueue =>
    redisQueue(`faults-${++queues}`, { url: server.url, namespace: freshNamespace(), ...options });
  const keyOf = (readyQueue: ReadyQueue, key: string) => {
    const engine = engineOf(readyQueue);
    return `pc:{${engine.namespace}:${engine.queue}}:${key}`;
  };

  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(async () => {
    await closeRedis();
    await redis.dispose();
  });

  it('lossy, fed far faster than consumed: the stream never holds more than capacity, and every drop is counted', async () => {
    const readings = queue({ capacity: 100, lossy: true });
    const consumer = new Gate({ workTimeout: 0, maxBufferSize: 1000, queue: readings });
    const producer = new Counter({ subscribers: [readings], args: { stopAt: 20_000 } });
    const batches = collect<number[]>(consumer, 'result');
    const blocked = nextEvent(consumer, 'message');
    await consumer.start();
    await readings.put(-1);
    await blocked; // the consumer is stalled in its first work call
    const produced = nextEvent(producer, 'state', (state) => state === 'stopped');
    await producer.start();
    const lengths = await sampleWhile(produced, () => Number(redis.cli('XLEN', keyOf(readings, 's'))));
    expect(Math.max(...lengths)).toBeLessThanOrEqual(100);
    consumer.sendMessage('go');
    await consumer.stopAtQueueEnd();
    const worked = batches.flat().slice(1);
    expect(worked).toEqual(range(100).map((index) => 19_900 + index)); // the newest, in order
    await eventually(() => worked.length + readings.dropped === 20_000, 'drops counted exactly');
    // Trimmed in Redis or dropped unsent by the writer: every one of them an overflow, counted in Redis too.
    expect(readings.drops).toEqual({ overflow: 20_000 - 100, refused: 0, cleared: 0, stopped: 0, lost: 0 });
    const stats = await redisQueueStats(readings);
    expect(stats.drops).toEqual(readings.drops);
    expect(stats.dropped).toBe(20_000 - 100);
  });

  it('lossless, consumer stalled: the producer stops within capacity plus one batch, and Redis never holds more', async () => {
    const jobs = queue({ capacity: 1000 });
    const { produced, batches, release } = await stalledConsumer({ workTimeout: 0, maxBufferSize: 100, queue: jobs }, 5_000);
    await eventually(() => Number(redis.cli('HGET', keyOf(jobs, 'm'), 'count')) === 1000, 'queue full');
    const stalled = new Promise((resolve) => setTimeout(resolve, 500));
    const counts = await sampleWhile(stalled, () => Number(redis.cli('HGET', keyOf(jobs, 'm'), 'count')));
    expect(Math.max(...counts)).toBe(1000);
    // The queue, the batch in work (taking frees room, as locally), the item waiting to be put.
    expect(produced.length).toBeLessThanOrEqual(1000 + 100 + 1);
    await release();
    expect(batches.flat()).toEqual(range(5_000));
  });

  it('connections paused then killed: both sides recover, nothing hangs, nothing is lost or doubled', async () => {
    const worked = await flowingRun(queue({ capacity: 500 }), 20_000, async () => {
      redis.cli('CLIENT', 'PAUSE', '1000', 'ALL');
      await new Promise((resolve) => setTimeout(resolve, 500));
      redis.cli('CLIENT', 'KILL', 'TYPE', 'normal');
    });
    expect(worked).toEqual(range(20_000));
  }, 40_000);

  it('Redis refusing to keep keys (an eviction policy) is refused at connect, with a clear error', async () => {
    const server = await startPrivateRedis();
    try {
      server.cli('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      const consumer = new Collector({ queue: queue({}, server) });
      const error = (await consumer.start().catch((thrown: unknown) => thrown)) as WorkerError;
      expect(error).toBeInstanceOf(WorkerError);
      expect(error.message).toMatch(/maxmemory-policy 'allkeys-lru'.*noeviction/);
    } finally {
      await server.dispose();
    }
  });
});

describeWithRedis('the Redis transport across a restart of Redis', () => {
  it('with persistence (appendonly): a lossless run loses nothing and doubles nothing', async () => {
    const server = await startPrivateRedis({ appendonly: true });
    try {
      const jobs = redisQueue('restart-aof', { url: server.url, namespace: freshNamespace(), capacity: 1000 });
      const worked = await flowingRun(jobs, 20_000, async () => {
        await server.stop();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await server.start();
      });
      expect(worked).toEqual(range(20_000));
    } finally {
      await closeRedis();
      await server.dispose();
    }
  }, 60_000);

  it('without persistence: the queue is re-created, and what was lost in it is counted exactly', async () => {
    const server = await startPrivateRedis();
    try {
      const jobs = redisQueue('restart-volatile', { url: server.url, namespace: freshNamespace(), capacity: 10_000 });
      const consumer = new Gate({ workTimeout: 0, maxBufferSize: 500, queue: jobs });
      const producer = new Counter({ workTimeout: 0.2, subscribers: [jobs], args: { stopAt: 20_000 } });
      const batches = collect<number[]>(consumer, 'result');
      const blocked = nextEvent(consumer, 'message');
      await consumer.start();
      const done = nextEvent(producer, 'state', (state) => state === 'stopped');
      await producer.start();
      await blocked; // the consumer holds what it read; the rest waits in Redis
      await eventually(() => Number(server.cli('HGET', `pc:{${engineOf(jobs).namespace}:restart-volatile}:m`, 'count')) >= 6_000, 'a backlog in Redis');
      const told: string[] = [];
      const stopListening = onTransportError((error) => told.push(error.code));
      // Each worker hears it too, as an 'error' event that is news, not a failure.
      const heard = new Map<Worker<any, any>, Error[]>([consumer, producer].map((worker) => [worker, collect<Error>(worker, 'error')]));
      await jobs.put(-1); // this process writes too: it follows the queue, and hears of the reset
      await server.stop();
      await server.start();
      await eventually(() => jobs.dropped > 0, 'the loss counted', 10_000);
      await eventually(() => told.includes('ERR_TRANSPORT_RESET'), 'the reset reported here', 10_000);
      await eventually(() => [...heard.values()].every((errors) => errors.length > 0), "the reset heard as each worker's 'error' event", 10_000);
      stopListening();
      for (const [worker, errors] of heard) {
        expect(errors).toHaveLength(1);
        expect(errors[0]).toBeInstanceOf(WorkerError);
        expect(errors[0]).toMatchObject({ code: 'ERR_TRANSPORT_RESET', fatal: false, worker: worker.name });
        expect(errors[0]!.message).toMatch(/still running.*queue 'restart-volatile' vanished from Redis/);
      }
      expect(consumer.getState()).toBe('started'); // it goes on: the rest of the run goes through it
      consumer.sendMessage('go');
      await done;
      await consumer.stopAtQueueEnd();
      const worked = new Set(batches.flat());
      const stats = await redisQueueStats(jobs);
      expect(stats.drops.lost).toBeGreaterThan(1_000); // the backlog, less what the consumer had read
      expect(worked.size + stats.drops.lost).toBe(20_000 + 1);
      expect(stats.dropped).toBe(stats.drops.lost);
      await eventually(() => jobs.drops.lost === stats.drops.lost && jobs.dropped === stats.dropped, 'the loss reported');
    } finally {
      await closeRedis();
      await server.dispose();
    }
  }, 60_000);
});
