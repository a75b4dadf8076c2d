import { StateError, WorkerError } from '@prodcon/core';
import { Collector, NothingNew, Responder, Stamper, Steered } from './fixtures/workers.mjs';
import { collect, nextEvent } from './helpers/events.js';
import { cpuSeconds } from './helpers/processes.js';

type Stamp = { seq: number; t: number };
const seconds = (ns: number) => ns / 1e9;

/** Items whose stamp falls in [from, to) (child clock, ns). */
function between(items: Stamp[], from: number, to: number): number {
  return items.filter((item) => item.t >= from && item.t < to).length;
}

describe('an idle producer', () => {
  it('with workTimeout 0 and nothing new, sleeps instead of spinning: under 5% of a core over 3 s', async () => {
    const producer = new NothingNew();
    await producer.start();
    // Past the boot: module loading and the first compilations are not idling (on a loaded machine they last longer).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = cpuSeconds(producer.pid!);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const used = cpuSeconds(producer.pid!) - before;
    await producer.stop();
    expect(used / 3).toBeLessThan(0.05);
  });
});

describe('steering a running producer', () => {
  it('setWorkTimeout changes 500 Hz to 100 Hz, each rate within ±5%', async () => {
    const consumer = new Collector({ workTimeout: 50, maxBufferSize: 1000 });
    const producer = new Stamper({ workTimeout: 2, subscribers: [consumer.getWorkQueue()] });
    const batches = collect<Stamp[]>(consumer, 'result');
    await consumer.start();
    await producer.start();
    await new Promise((resolve) => setTimeout(resolve, 2300));
    const changedAt = Number(process.hrtime.bigint());
    producer.setWorkTimeout(10);
    expect(producer.workTimeout).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await producer.stop();
    await consumer.stopAtQueueEnd();
    const items = batches.flat();
    const first = items[0]!.t;
    const fast = between(items, first + 0.2e9, first + 2.2e9) / seconds(2e9);
    const slow = between(items, changedAt + 0.1e9, changedAt + 2.1e9) / seconds(2e9);
    expect(fast).toBeGreaterThanOrEqual(475);
    expect(fast).toBeLessThanOrEqual(525);
    expect(slow).toBeGreaterThanOrEqual(95);
    expect(slow).toBeLessThanOrEqual(105);
  });

  it('ctx.setWorkTimeout changes the period from inside, and the main process learns it', async () => {
    const producer = new Steered({ workTimeout: 1000 });
    const stamps = collect<Stamp>(producer, 'result');
    await producer.start();
    producer.sendMessage('period 20');
    await nextEvent(producer, 'result', () => stamps.length >= 10);
    expect(producer.workTimeout).toBe(20);
    await producer.stop();
  });

  it('pause() stops calling work without stopping the child; resume() calls it again at once', async () => {
    const producer = new Stamper({ workTimeout: 5 });
    const stamps = collect<Stamp>(producer, 'result');
    await producer.start();
    await nextEvent(producer, 'result');
    const pid = producer.pid;
    producer.pause();
    expect(producer.paused).toBe(true);
    expect(producer.status).toBe('paused');
    expect(producer.getState()).toBe('started');
    await new Promise((resolve) => setTimeout(resolve, 100)); // a call under way may still land
    const whilePaused = stamps.length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stamps.length).toBe(whilePaused);
    const resumedAt = performance.now();
    producer.resume();
    await nextEvent(producer, 'result');
    expect(performance.now() - resumedAt).toBeLessThan(200);
    expect(producer.status).toBe('running');
    expect(producer.pid).toBe(pid);
    await producer.stop();
  });

  it('refuses to steer a stopped producer with a StateError', () => {
    const producer = new Stamper({ workTimeout: 5 });
    expect(() => producer.pause()).toThrow(StateError);
    expect(() => producer.resume()).toThrow(StateError);
    expect(() => producer.setWorkTimeout(10)).toThrow(/Producer 'Stamper' is not running \(stopped\): setWorkTimeout\(\)/);
  });
});

describe('the child-side message hook', () => {
  it('answers a message to a consumer that has no items in under 50 ms', async () => {
    const consumer = new Responder({ workTimeout: 60_000 });
    await consumer.start();
    for (let round = 0; round < 5; round++) {
      const reply = nextEvent(consumer, 'message');
      const sentAt = performance.now();
      consumer.sendMessage('ping');
      expect(await reply).toBe('pong');
      expect(performance.now() - sentAt).toBeLessThan(50);
    }
    await consumer.stop();
  });

  it('answers while a producer sleeps between calls, after onStart, in order', async () => {
    const producer = new Steered({ workTimeout: 5000 });
    const replies = collect<{ pong: number; started: boolean }>(producer, 'message');
    await producer.start();
    for (let index = 0; index < 3; index++) producer.sendMessage('ping');
    await nextEvent(producer, 'message', () => replies.length >= 3);
    expect(replies.every((reply) => reply.started)).toBe(true);
    expect(replies.map((reply) => reply.pong)).toEqual([...replies.map((reply) => reply.pong)].sort((a, b) => a - b));
    await producer.stop();
  });

  it('fails the worker when it throws, naming the hook', async () => {
    const producer = new Steered({ workTimeout: 5000 });
    await producer.start();
    const failed = nextEvent<Error>(producer, 'error');
    producer.sendMessage('throw');
    const error = await failed;
    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toMatchObject({ phase: 'onMessage', worker: 'Steered' });
    expect(error.message).toBe("Worker 'Steered' failed in onMessage: TypeError: onMessage refused");
    await nextEvent(producer, 'state', (state) => state === 'stopped');
  });
});
