import { ConsumerPool, PoolError, WorkerError } from '@prodcon/core';
import { Counter } from './fixtures/workers.mjs';
import { Breaker, Paced } from './fixtures/pool-workers.mjs';
import { collect, eventually, nextEvent } from './helpers/events.js';
import { isDead, waitUntilDead } from './helpers/processes.js';
import { forEachTransport } from './conformance/transports.js';

forEachTransport('a ConsumerPool', (transport) => {
  it('gives each item to exactly one member, and collects what each onStop returned', async () => {
    const pool = new ConsumerPool(Paced, transport.consumer({ size: 3, maxBufferSize: 10, workTimeout: 20 }));
    const results = collect<number[]>(pool, 'result');
    await pool.put(...Array.from({ length: 300 }, (_, index) => index));
    const finals = (await pool.join()) as Array<{ name: string; count: number }>;
    expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, index) => index));
    expect(finals.map((final) => final.name)).toEqual(['Paced-1', 'Paced-2', 'Paced-3']);
    expect(finals.reduce((sum, final) => sum + final.count, 0)).toBe(300);
    expect(pool.results).toBe(finals);
  });

  it('sends load where capacity is: a member twice as slow gets about half the items', async () => {
    const pool = new ConsumerPool(
      Paced,
      transport.consumer({ size: 2, maxBufferSize: 1, workTimeout: 0, queueSize: 3, args: { delays: { 'Paced-1': 20, 'Paced-2': 40 } } }),
    );
    // Delays long against the per-item overhead (a Redis round trip, a loaded machine), which pulls the shares towards 1/2.
    await pool.put(...Array.from({ length: 150 }, (_, index) => index));
    const finals = (await pool.join()) as Array<{ name: string; count: number }>;
    const [fast, slow] = finals.map((final) => final.count);
    expect(fast! + slow!).toBe(150);
    // Blind round-robin would give 75 each; capacity-based dispatch about 100 / 50.
    expect(slow! / 150).toBeGreaterThan(0.2);
    expect(slow! / 150).toBeLessThan(0.42);
  });

  it('is a queue like any other: a producer subscribed to it feeds the members', async () => {
    const pool = new ConsumerPool(Paced, transport.consumer({ size: 2, maxBufferSize: 50, workTimeout: 10 }));
    const producer = new Counter({ args: { stopAt: 5_000 }, subscribers: [pool.getWorkQueue()] });
    const results = collect<number[]>(pool, 'result');
    await pool.start();
    const done = nextEvent(producer, 'state', (state) => state === 'stopped');
    await producer.start();
    await done;
    await pool.join();
    expect(results.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 5_000 }, (_, index) => index));
  });

  it('redelivers what a member killed mid-batch had not finished (at-least-once), and restarts it', async () => {
    const pool = new ConsumerPool(
      Paced,
      transport.consumer({ size: 2, maxBufferSize: 5, workTimeout: 0, queueSize: 10, args: { delay: 20 }, restart: { max: 2, backoffMs: 20 } }),
    );
    const results = collect<number[]>(pool, 'result');
    const restarts = collect<string>(pool, 'memberRestart');
    await pool.start();
    const victim = pool.members[0]!;
    const firstPid = victim.pid!;
    const putting = pool.put(...Array.from({ length: 200 }, (_, index) => index));
    await eventually(() => results.length >= 4, 'some batches done');
    process.kill(firstPid, 'SIGKILL');
    await putting;
    await pool.join();
    const seen = new Set(results.flat());
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, index) => index));
    expect(restarts.length).toBe(1);
    expect(victim.pid === undefined || victim.pid !== firstPid).toBe(true);
    await waitUntilDead([firstPid], 1000);
  });

  it('fails as a whole by default when a member fails: join() rejects with the member, its stack and what it held', async () => {
    const pool = new ConsumerPool(Breaker, transport.consumer({ size: 2, maxBufferSize: 1, workTimeout: 0, args: { failOn: 7 } }));
    await pool.start();
    const pids = pool.members.map((member) => member.pid!);
    await pool.put(...Array.from({ length: 20 }, (_, index) => index)).catch(() => {});
    const error = (await pool.join().catch((thrown: WorkerError) => thrown)) as WorkerError;
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.message).toMatch(/Worker 'Breaker-\d' failed in work: cannot consume item 7/);
    expect(error.worker).toMatch(/^Breaker-\d$/);
    expect(error.stack).toMatch(/pool-workers\.mjs/);
    expect(error.held).toEqual([7]);
    expect(pool.getState()).toBe('failed');
    await waitUntilDead(pids, 3000);
  });
});

describe('a ConsumerPool (lifecycle)', () => {
  it('refuses misuse with clear errors, and close/join/terminate are idempotent', async () => {
    const pool = new ConsumerPool(Paced, { size: 1 });
    expect(() => pool.results).toThrow(PoolError);
    expect(() => pool.results).toThrow(/results are available once join\(\) has resolved/);
    await pool.put(1);
    pool.close();
    pool.close();
    await expect(pool.put(2)).rejects.toThrow(/put\(\) is refused after close\(\)/);
    await Promise.all([pool.join(), pool.join()]);
    await pool.join();
    await pool.terminate();
    await pool.terminate();
    expect(pool.results).toEqual([{ name: 'Paced-1', count: 1 }]);
    expect(() => new ConsumerPool(Paced, { size: 0 })).toThrow(/ConsumerPool 'Paced': option "size" must be a whole number ≥ 1, got 0/);
  });

  it('terminate() kills every member now', async () => {
    const pool = new ConsumerPool(Paced, { size: 2, args: { delay: 60_000 }, maxBufferSize: 1, workTimeout: 0 });
    await pool.start();
    const pids = pool.members.map((member) => member.pid!);
    await pool.put(1, 2);
    await pool.terminate();
    expect(pids.every(isDead)).toBe(true);
  });
});
