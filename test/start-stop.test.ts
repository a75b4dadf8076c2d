import { ConsumerPool, pipeline } from '@prodcon/core';
import { NumberSource, Doubler, Summer } from './fixtures/pool-workers.mjs';
import { Collector, Counter, SlowStarter } from './fixtures/workers.mjs';
import { collect, nextEvent } from './helpers/events.js';
import { liveWorkers } from './helpers/processes.js';

describe('a stop that comes while a start is in flight', () => {
  afterEach(() => expect(liveWorkers()).toEqual([]));

  it('wins on a worker before its child exists: start() resolves, nothing runs', async () => {
    const worker = new Counter();
    const started = worker.start();
    await worker.stop();
    await expect(started).resolves.toBeUndefined();
    expect(worker.getState()).toBe('stopped');
    expect(worker.pid).toBeUndefined();
  });

  it('wins on a worker whose onStart is running: onStop runs, the child exits, start() resolves', async () => {
    const worker = new SlowStarter({ args: { startMs: 300 } });
    const messages = collect<string>(worker, 'message');
    const started = worker.start();
    await nextEvent(worker, 'message', (message) => message === 'onStart began');
    await worker.stop();
    await expect(started).resolves.toBeUndefined();
    expect(worker.getState()).toBe('stopped');
    expect(messages).toEqual(['onStart began', 'onStop ran']);
  });

  it('wins on a consumer asked to drain (stopAtQueueEnd) before it started', async () => {
    const consumer = new Collector();
    const started = consumer.start();
    await consumer.stopAtQueueEnd();
    await started;
    expect(consumer.getState()).toBe('stopped');
  });

  it('is overruled by a later start: the last call decides', async () => {
    const worker = new Counter({ workTimeout: 50 });
    const first = worker.start();
    const stopped = worker.stop();
    const second = worker.start();
    await Promise.all([first, stopped, second]);
    expect(worker.getState()).toBe('started');
    expect(worker.pid).toBeGreaterThan(0);
    await worker.stop();
  });

  it('wins on a pool: terminate() right after start() leaves every member stopped', async () => {
    const pool = new ConsumerPool(Collector, { size: 2 });
    const started = pool.start();
    await pool.terminate();
    await started;
    expect(pool.getState()).toBe('stopped');
    for (const member of pool.members) expect(member.getState()).toBe('stopped');
  });

  it('wins on a pipeline: stop() right after start() stops every stage and settles done', async () => {
    const source = new NumberSource({ args: { count: 1_000_000 }, workTimeout: 1 });
    const doublers = new ConsumerPool(Doubler, { size: 2, maxBufferSize: 100, workTimeout: 20 });
    const summer = new Summer({ maxBufferSize: 100, workTimeout: 20 });
    const flow = pipeline(source, doublers, summer);
    const started = flow.start();
    await flow.stop();
    await started;
    await flow.done;
    for (const unit of [source, summer, ...doublers.members]) expect(unit.getState()).toBe('stopped');
    expect(source.pid).toBeUndefined();
  });
});

describe('a pool that was never started', () => {
  it('runs each member once on join(), as Python consumers does, and returns their onStop results', async () => {
    const { Paced } = await import('./fixtures/pool-workers.mjs');
    const pool = new ConsumerPool(Paced, { size: 2 });
    const results = await pool.join();
    expect(results).toEqual([
      { name: 'Paced-1', count: 0 },
      { name: 'Paced-2', count: 0 },
    ]);
    expect(pool.getState()).toBe('stopped');
  });
});
