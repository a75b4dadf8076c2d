import { ConsumerPool, pipeline } from '@prodcon/core';
import { Collector, Counter } from './fixtures/workers.mjs';
import { NumberSource, Paced, Tally } from './fixtures/pool-workers.mjs';
import { isDead } from './helpers/processes.js';

describe('await using', () => {
  it('stops a worker at the end of its scope', async () => {
    let pid = 0;
    {
      await using counter = new Counter({ workTimeout: 5 });
      await counter.start();
      pid = counter.pid!;
      expect(isDead(pid)).toBe(false);
    }
    expect(isDead(pid)).toBe(true);
  });

  it('joins a pool at the end of its scope (like Python’s with Pool(...))', async () => {
    let pool: ConsumerPool<number> | undefined;
    {
      await using scoped = new ConsumerPool(Paced, { size: 2, maxBufferSize: 5, workTimeout: 10 });
      pool = scoped as ConsumerPool<number>;
      await scoped.put(1, 2, 3);
    }
    expect(pool.getState()).toBe('stopped');
    expect((pool.results as Array<{ count: number }>).reduce((sum, result) => sum + result.count, 0)).toBe(3);
  });

  it('stops a pipeline at the end of its scope, even one whose source never ends', async () => {
    const source = new NumberSource({ args: { count: Number.MAX_SAFE_INTEGER } });
    const sink = new Tally({ maxBufferSize: 100, workTimeout: 10 });
    let pids: number[] = [];
    {
      await using flow = pipeline(source, new Collector({ maxBufferSize: 100, workTimeout: 10 }), sink);
      await flow.start();
      pids = [source.pid!, sink.pid!];
    }
    expect(pids.every(isDead)).toBe(true);
  });
});
