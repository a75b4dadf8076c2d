/**
 * Metrics against known workloads: counters exact, drops by cause adding up,
 * durations where a sleeping `work` puts them, restarts and errors counted.
 */
import { ConsumerPool, ReadyQueue, pipeline, type PipelineProgress, type WorkerMetrics } from '@prodcon/core';
import { Numbers, Sleeper, Thrower, Ticker } from './fixtures/metrics-workers.mjs';
import { Paced } from './fixtures/pool-workers.mjs';
import { collect, eventually, nextEvent } from './helpers/events.js';

describe('metrics', () => {
  it('count N items exactly N times, from the source to the queue to the consumer, and report progress', async () => {
    const N = 3000;
    const source = new Numbers({ args: { count: N }, output: 'ignore' });
    const sink = new Sleeper({ maxBufferSize: 100, workTimeout: 5, output: 'ignore' });
    const flow = pipeline(source, sink);
    const progress = collect<PipelineProgress>(flow, 'progress');
    await flow.start();
    await flow.done;

    const produced = source.metrics();
    const consumed = sink.metrics();
    expect(produced.produced.total).toBe(N);
    expect(produced.forwarded.total).toBe(N);
    expect(produced.total).toBe(N);
    expect(consumed.consumed.total).toBe(N);
    expect(consumed.queue).toMatchObject({ received: N, taken: N, dropped: 0, size: 0 });
    expect(consumed.work.calls).toBeGreaterThanOrEqual(N / 100);
    expect(consumed.work.errors).toBe(0);
    // Latency is measured per frame (a batch), not per item: there are fewer records than items.
    expect(consumed.queue!.latency!.count).toBeGreaterThan(0);
    expect(consumed.queue!.latency!.count).toBeLessThanOrEqual(N);
    expect(consumed.queue!.latency!.p50).toBeGreaterThan(0);
    // Stopped: no rate, no uptime, no process.
    expect(consumed).toMatchObject({ state: 'stopped', uptimeMs: 0, runs: 1, restarts: 0, process: undefined });
    expect(consumed.consumed.rate1s).toBe(0);

    const last = progress.at(-1)!;
    expect(last).toEqual({ stages: [{ names: ['Numbers'], done: N }, { names: ['Sleeper'], done: N }], total: N, done: N, fraction: 1, finished: true });
    expect(flow.metrics().progress).toEqual(last);
    // Once the source's declared total arrived, the fraction only moves forward.
    const fractions = progress.map((entry) => entry.fraction).filter((fraction) => fraction !== undefined);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('split drops by cause on a lossy queue fed twice as fast as it is consumed, and they add up', async () => {
    const sink = new Sleeper({ lossy: true, queueSize: 20, maxBufferSize: 1, workTimeout: 0, args: { ms: 4 }, output: 'ignore' });
    const sensor = new Ticker({ workTimeout: 2, subscribers: [sink.getWorkQueue()], output: 'ignore' });
    const queue = sink.getWorkQueue();
    await sink.start();
    await sensor.start();
    await eventually(() => queue.metrics().drops.overflow > 50, 'overflow drops reported', 10_000);
    await sensor.stop();
    await sink.stop();
    queue.put({ seq: -1, value: 0 }).catch(() => {}); // refused: the consumer stopped

    const metrics = queue.metrics();
    expect(metrics.drops.refused).toBe(1);
    expect(metrics.dropped).toBe(queue.dropped);
    expect(metrics.drops).toEqual(queue.drops);
    // Every item the sensor produced was consumed or dropped, and each drop has exactly one cause.
    const produced = sensor.metrics().produced.total;
    const consumed = sink.metrics().consumed.total;
    expect(produced).toBe(consumed + metrics.drops.overflow + metrics.drops.stopped + metrics.drops.lost);
    expect(consumed).toBeLessThan(produced * 0.75);
  });

  it("time work calls while a listener is attached: a 20 ms work has its p50 within 20–30 ms", async () => {
    const sink = new Sleeper({ maxBufferSize: 1, workTimeout: 0, args: { ms: 20 }, metricsInterval: 100, output: 'ignore' });
    const snapshots = collect<WorkerMetrics>(sink, 'metrics');
    await sink.start();
    for (let index = 0; index < 40; index++) await sink.getWorkQueue().put(index);
    await eventually(() => sink.metrics().consumed.total === 40, 'all consumed', 10_000);
    const live = sink.metrics();
    await sink.stopAtQueueEnd();

    const duration = sink.metrics().work.duration!;
    expect(duration.count).toBe(40);
    expect(duration.p50).toBeGreaterThanOrEqual(20);
    expect(duration.p50).toBeLessThanOrEqual(30);
    expect(duration.max).toBeGreaterThanOrEqual(duration.p99);
    expect(duration.p99).toBeGreaterThanOrEqual(duration.p90);
    expect(duration.p90).toBeGreaterThanOrEqual(duration.p50);
    expect(live.pid).toBeGreaterThan(0);
    expect(live.uptimeMs).toBeGreaterThan(0);
    expect(live.process!.rssBytes).toBeGreaterThan(10_000_000);
    expect(live.process!.cpuSeconds).toBeGreaterThan(0);
    expect(snapshots.length).toBeGreaterThan(2);
    expect(snapshots.at(-1)!.state).toBe('stopped'); // the last event carries the final figures
  });

  it('measure no work durations while metrics are off, and switch them on with a listener', async () => {
    const sink = new Sleeper({ maxBufferSize: 1, workTimeout: 0, output: 'ignore' });
    await sink.start();
    await sink.getWorkQueue().put(1);
    await eventually(() => sink.metrics().work.calls === 1, 'one call counted');
    expect(sink.metrics().work.duration).toBeUndefined();
    expect(sink.metrics().process).toBeUndefined();
    // A listener turns metrics on (every 1000 ms by default), as long as it stays; the child's memory in a
    // snapshot says that the child heard.
    sink.on('metrics', () => {});
    const on = await nextEvent<WorkerMetrics>(sink, 'metrics', (snapshot) => snapshot.process !== undefined);
    expect(on.process!.rssBytes).toBeGreaterThan(0);
    await sink.getWorkQueue().put(2);
    await eventually(() => sink.metrics().work.duration?.count === 1, 'the call after metrics came on timed');
    await sink.stop();
  });

  it('count back-pressure: a producer held back by a full lossless queue', async () => {
    const sink = new Sleeper({ queueSize: 5, maxBufferSize: 1, workTimeout: 0, args: { ms: 5 }, output: 'ignore' });
    const source = new Numbers({ args: { count: 60 }, subscribers: [sink.getWorkQueue()], output: 'ignore' });
    const flow = pipeline(source, sink);
    await flow.start();
    await flow.done;
    const { backPressure } = source.metrics();
    expect(backPressure.waits).toBeGreaterThan(0);
    expect(backPressure.waitedMs).toBeGreaterThan(50);
  });

  it('count restarts and keep the last error with the child stack', async () => {
    const sink = new Sleeper({ output: 'ignore' });
    await sink.start();
    await sink.start(); // a restart
    expect(sink.metrics()).toMatchObject({ runs: 2, restarts: 1, state: 'started' });
    await sink.stop();

    const thrower = new Thrower({ output: 'ignore' });
    const failed = nextEvent<Error>(thrower, 'error');
    await thrower.start();
    await thrower.getWorkQueue().put(1);
    await failed;
    await eventually(() => thrower.getState() === 'stopped', 'stopped after the failure');
    const { lastError, work } = thrower.metrics();
    expect(lastError).toMatchObject({ name: 'WorkerError', phase: 'work', message: expect.stringContaining('sensor offline') });
    expect(lastError!.stack).toContain('metrics-workers.mjs');
    expect(work.errors).toBe(1);

    const pool = new ConsumerPool(Paced, { size: 2, maxBufferSize: 1, workTimeout: 0, args: { delay: 5 }, restart: { max: 2, backoffMs: 10 }, output: 'ignore' });
    await pool.start();
    const restarted = nextEvent(pool, 'memberRestart');
    process.kill(pool.members[0]!.pid!, 'SIGKILL');
    await restarted;
    await eventually(() => pool.members[0]!.status === 'running', 'the member runs again');
    await pool.put(...Array.from({ length: 50 }, (_, index) => index));
    await pool.join();
    const metrics = pool.metrics();
    expect(metrics.restarts).toBe(1);
    expect(metrics.members[0]!.restarts).toBe(1);
    expect(metrics.consumed.total).toBe(50);
    expect(metrics.queue.owner).toEqual({ kind: 'pool', name: 'Paced' });
    expect(metrics.queue.taken).toBe(metrics.members.reduce((sum, member) => sum + member.queue!.taken, 0));
  });

  it('report a queue the main process consumes', async () => {
    const queue = new ReadyQueue<{ seq: number }>({ capacity: 100 });
    const source = new Numbers({ args: { count: 10 }, subscribers: [queue], output: 'ignore' });
    await source.start();
    for (let index = 0; index < 10; index++) await queue.get();
    await eventually(() => source.getState() === 'stopped', 'the source ended');
    expect(queue.metrics()).toMatchObject({ owner: { kind: 'local' }, received: 10, taken: 10, size: 0, capacity: 100 });
    expect(queue.metrics().latency!.count).toBeGreaterThan(0);
  });
});
