// Property-based: seeded random sequences of lifecycle calls, made without awaiting each other, on
// workers, pools and pipelines. Whatever the order, every promise settles within a bound, the final
// state is the one the last call asks for, and nothing is left running. fast-check prints the seed
// and the shrunk sequence of a failure; PRODCON_PROPERTY_SEED=<seed> replays it.
import { ConsumerPool, pipeline } from '@prodcon/core';
import fc from 'fast-check';
import { Doubler, NumberSource, Summer } from './fixtures/pool-workers.mjs';
import { Collector, Counter } from './fixtures/workers.mjs';
import { liveWorkers } from './helpers/processes.js';

const SETTLE_WITHIN_MS = 20_000;
const seed = process.env.PRODCON_PROPERTY_SEED ? Number(process.env.PRODCON_PROPERTY_SEED) : undefined;
const options = (numRuns: number) => ({ numRuns, seed, endOnFailure: true });

/**
 * A call's promise, observed at once: a rejection while the test pauses before its next call is an
 * outcome to tolerate, not an unhandled rejection.
 */
function observed(name: string, promise: Promise<unknown>): { name: string; promise: Promise<unknown> } {
  return { name, promise: promise.then(() => 'resolved', () => 'rejected') };
}

/** Resolves with the outcome of every promise, or rejects naming those still pending after the bound. */
async function allSettleWithin(calls: Array<{ name: string; promise: Promise<unknown> }>): Promise<void> {
  let pending = calls.map((call) => call.name);
  const settled = calls.map((call) =>
    call.promise.then(
      () => {},
      () => {},
    ).finally(() => {
      pending = pending.filter((name, index) => index !== pending.indexOf(call.name));
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${SETTLE_WITHIN_MS} ms: ${pending.join(', ')}`)), SETTLE_WITHIN_MS);
  });
  try {
    await Promise.race([Promise.all(settled), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** A pause between two calls (never awaiting the calls themselves): lets some starts get a child first. */
const PAUSE = 'pause' as const;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const listenerTotal = (emitter: { eventNames(): Array<string | symbol>; listenerCount(event: string | symbol): number }) =>
  emitter.eventNames().reduce((sum, event) => sum + emitter.listenerCount(event), 0);

describe('lifecycle calls in any order, none awaited', () => {
  afterEach(() => expect(liveWorkers()).toEqual([]));

  it('a producer and a consumer: every promise settles, the last call decides, nothing is left', async () => {
    const call = fc.constantFrom('start', 'stop', 'stopAtQueueEnd');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.tuple(fc.constantFrom('producer', 'consumer'), call), fc.constant(PAUSE)), { minLength: 1, maxLength: 8 }), async (steps) => {
        const consumer = new Collector({ workTimeout: 20, maxBufferSize: 50, stopTimeout: 3000 });
        const producer = new Counter({ workTimeout: 2, subscribers: [consumer.getWorkQueue()], stopTimeout: 3000 });
        const baseline = [listenerTotal(producer), listenerTotal(consumer)];
        const calls = steps.filter((step) => step !== PAUSE);
        const promises: Array<{ name: string; promise: Promise<unknown> }> = [];
        for (const [index, step] of steps.entries()) {
          if (step === PAUSE) {
            await pause(60);
            continue;
          }
          const [unit, method] = step;
          const worker = unit === 'producer' ? producer : consumer;
          const promise =
            method === 'start' ? worker.start() : method === 'stop' ? worker.stop() : unit === 'consumer' ? consumer.stopAtQueueEnd() : producer.stop();
          promises.push(observed(`#${index} ${unit}.${method}()`, promise));
        }
        try {
          await allSettleWithin(promises);
          for (const [unit, worker] of [['producer', producer], ['consumer', consumer]] as const) {
            const last = calls.filter(([which]) => which === unit).at(-1);
            const expected = last?.[1] === 'start' ? 'started' : 'stopped';
            // A producer whose consumer stopped may still run (its puts are refused): its state is its own.
            expect(`${unit}: ${worker.getState()}`).toBe(`${unit}: ${expected}`);
          }
        } finally {
          await producer.stop();
          await consumer.stop();
        }
        expect([listenerTotal(producer), listenerTotal(consumer)]).toEqual(baseline);
        expect(liveWorkers()).toEqual([]);
      }),
      options(12),
    );
  });

  it('a pool: every promise settles, it ends as the last call asks, no member is left', async () => {
    const call = fc.constantFrom('start', 'terminate', 'close', 'join', 'stop', 'put');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(call, fc.constant(PAUSE)), { minLength: 1, maxLength: 7 }), async (steps) => {
        const pool = new ConsumerPool(Collector, { size: 2, workTimeout: 20, maxBufferSize: 10, stopTimeout: 3000 });
        const calls = steps.filter((step) => step !== PAUSE);
        const promises: Array<{ name: string; promise: Promise<unknown> }> = [];
        for (const [index, method] of steps.entries()) {
          if (method === PAUSE) {
            await pause(80);
            continue;
          }
          let promise: Promise<unknown>;
          if (method === 'close') promise = Promise.resolve(pool.close());
          else if (method === 'put') promise = pool.put(1, 2, 3);
          else promise = pool[method]();
          promises.push(observed(`#${index} pool.${method}()`, promise));
        }
        try {
          await allSettleWithin(promises);
          const ended = calls.some((method) => method !== 'start' && method !== 'put');
          if (ended && pool.getState() === 'closing') {
            // close() drains in the background (it returns nothing to await): the pool must still get there.
            const stopped = new Promise<void>((resolve) => pool.on('state', (state) => state === 'stopped' && resolve()));
            await allSettleWithin([{ name: 'the drain close() began', promise: stopped }]);
          }
          expect(pool.getState()).toBe(ended ? 'stopped' : calls.length > 0 ? 'running' : 'idle');
        } finally {
          await pool.terminate();
        }
        for (const member of pool.members) expect(member.getState()).toBe('stopped');
      }),
      options(8),
    );
  });

  it('a pipeline: every promise settles, done settles once stopped, nothing is left', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('start', 'stop', PAUSE), { minLength: 1, maxLength: 5 }), async (steps) => {
        const source = new NumberSource({ args: { count: 1_000_000 }, workTimeout: 1, stopTimeout: 3000 });
        const doublers = new ConsumerPool(Doubler, { size: 2, maxBufferSize: 100, workTimeout: 20, stopTimeout: 3000 });
        const summer = new Summer({ maxBufferSize: 100, workTimeout: 20, stopTimeout: 3000 });
        const flow = pipeline(source, doublers, summer);
        const calls = steps.filter((step) => step !== PAUSE);
        const promises: Array<{ name: string; promise: Promise<unknown> }> = [];
        for (const [index, method] of steps.entries()) {
          if (method === PAUSE) await pause(100);
          else promises.push(observed(`#${index} pipeline.${method}()`, flow[method]()));
        }
        try {
          await allSettleWithin(promises);
          if (calls.includes('stop')) {
            await allSettleWithin([{ name: 'pipeline.done', promise: flow.done }]);
            for (const unit of [source, summer, ...doublers.members]) expect(unit.getState()).toBe('stopped');
          } else if (calls.includes('start')) {
            expect(source.getState()).toBe('started');
          }
        } finally {
          await flow.stop();
        }
        await allSettleWithin([{ name: 'pipeline.done after the final stop', promise: flow.done }]);
      }),
      options(6),
    );
  });
});
