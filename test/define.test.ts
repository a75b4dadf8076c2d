import { ConsumerPool, pipeline } from '@prodcon/core';
import { Countdown, Summer } from './fixtures/defined-workers.mjs';

describe('classes made with defineProducer / defineConsumer', () => {
  it('run in their children, found by the name of the exported class that extends the definition', async () => {
    const flow = pipeline(new Countdown({ args: { from: 1, count: 100 } }), new Summer({ maxBufferSize: 10, workTimeout: 20 }));
    let total = 0;
    for await (const sum of flow.items()) total += sum as number;
    await flow.done;
    expect(total).toBe(5050);
  });

  it('run from a subclass that only adds main-process behaviour (the child loads the exported class)', async () => {
    const seen: number[] = [];
    class Recording extends Countdown {
      override onResult(item: unknown): void {
        seen.push(item as number);
      }
    }
    const producer = new Recording({ args: { from: 10, count: 3 } });
    const stopped = new Promise((resolve) => producer.on('state', (state) => state === 'stopped' && resolve(state)));
    await producer.start();
    await stopped;
    expect(seen).toEqual([10, 11, 12]);
  });

  it('work in a pool, whose results are what onStop returned', async () => {
    const pool = new ConsumerPool(Summer, { size: 2, maxBufferSize: 5, workTimeout: 10 });
    await pool.put(...Array.from({ length: 20 }, (_, index) => index));
    const results = (await pool.join()) as Array<{ seen: number }>;
    expect(results.reduce((sum, result) => sum + result.seen, 0)).toBe(20);
  });
});
