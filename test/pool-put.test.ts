import { CodecError, ConsumerPool } from '@prodcon/core';
import { Paced } from './fixtures/pool-workers.mjs';
import { collect } from './helpers/events.js';

/** Each member's results (Paced returns its batch), member by member. */
function perMember(pool: ConsumerPool<number, number[]>): number[][][] {
  return pool.members.map((member) => collect<number[]>(member, 'result'));
}

describe('putting into a ConsumerPool', () => {
  it('with default options, members take what is queued in batches (not one work call per item), and every item once', async () => {
    const pool = new ConsumerPool(Paced, { size: 2 });
    const results = collect<number[]>(pool, 'result');
    await pool.put(...Array.from({ length: 5000 }, (_, index) => index));
    const finals = (await pool.join()) as Array<{ count: number }>;
    expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 5000 }, (_, index) => index));
    expect(finals.reduce((sum, final) => sum + final.count, 0)).toBe(5000);
    expect(Math.max(...results.map((batch) => batch.length))).toBeLessThanOrEqual(1000); // the pool's batch bound
    expect(results.length).toBeLessThan(1000); // one call per item would be 5000
  });

  it('keeps a single Consumer\'s semantics once maxBufferSize is set: batches of at most that many', async () => {
    const pool = new ConsumerPool(Paced, { size: 2, maxBufferSize: 3 });
    const results = collect<number[]>(pool, 'result');
    await pool.put(...Array.from({ length: 300 }, (_, index) => index));
    await pool.join();
    expect(Math.max(...results.map((batch) => batch.length))).toBeLessThanOrEqual(3);
    expect(results.flat()).toHaveLength(300);
  });

  it('refuses a whole put() call that holds a value that cannot cross: none of its items is delivered', async () => {
    const pool = new ConsumerPool(Paced, { size: 2 });
    const results = collect<number[]>(pool, 'result');
    await expect(pool.put(1, (() => 2) as unknown as number, 3)).rejects.toThrow(CodecError);
    await pool.put(4);
    await pool.join();
    expect(results.flat()).toEqual([4]);
  });

  it('delivers un-awaited single puts exactly once, in call order per member, within a small queue', async () => {
    const pool = new ConsumerPool(Paced, { size: 2, queueSize: 100 });
    const members = perMember(pool);
    await pool.start();
    const queue = pool.getWorkQueue();
    const started = performance.now();
    const puts = Array.from({ length: 20_000 }, (_, index) => queue.put(index));
    expect(await Promise.all(puts)).toEqual(puts.map(() => true));
    // Linear in the waiting puts: ~2.5 s on a loaded 2-core machine. When every waiting put woke on each credit
    // grant it took 22 s there (quadratic).
    expect(performance.now() - started).toBeLessThan(12_000);
    const finals = (await pool.join()) as Array<{ count: number }>;
    expect(finals.reduce((sum, final) => sum + final.count, 0)).toBe(20_000);
    const seen = members.map((batches) => batches.flat());
    for (const mine of seen) expect(mine).toEqual([...mine].sort((a, b) => a - b)); // order per writer, member by member
    expect(seen.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20_000 }, (_, index) => index));
  });
});
