// Every item a lossless queue accepted ends consumed, or dropped and counted with its cause.
import { Ticks, Tally } from './fixtures/service-workers.mjs';
import { collect, eventually, nextEvent } from './helpers/events.js';
import { cpuSeconds, waitUntilDead } from './helpers/processes.js';

describe('a lossless consumer killed mid-stream', () => {
  it('counts every item it had accepted and not consumed as lost; the producer backs off instead of spinning', async () => {
    const consumer = new Tally({ workTimeout: 10, maxBufferSize: 100, queueSize: 10_000, args: { delayMs: 1 } });
    const producer = new Ticks({ subscribers: [consumer.getWorkQueue()] });
    const reports = collect<{ produced?: number; consumed?: number }>(producer, 'message');
    const counts = collect<number>(consumer, 'result'); // the running count after each batch
    consumer.on('error', () => {}); // it will be reported as killed
    await consumer.start();
    await producer.start();
    await eventually(() => (counts.at(-1) ?? 0) > 20_000, 'a stream under way, its queue full');
    const pid = consumer.pid!;
    process.kill(pid, 'SIGKILL');
    await waitUntilDead([pid]);
    await nextEvent(consumer, 'state', (state) => state === 'stopped');
    // With its only subscriber gone, the producer's items are all refused: it must not spin.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = cpuSeconds(producer.pid!);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const cpu = (cpuSeconds(producer.pid!) - before) / 2;
    await producer.stop();
    const produced = reports.find((report) => report.produced !== undefined)!.produced!;
    const consumed = counts.at(-1)!;
    const queue = consumer.getWorkQueue();
    expect(queue.drops.lost).toBeGreaterThan(1000); // the queue and the writer's window
    // Exact but for the batch worked at the instant of the kill: its result (in the main process) and its
    // acknowledgement (in the producer) travel on two sockets, and the kill can fall between the two writes.
    expect(Math.abs(consumed + queue.dropped - produced)).toBeLessThanOrEqual(100);
    expect(cpu).toBeLessThan(0.1);
  });
});

describe.each([
  ['lossless', false],
  ['lossy', true],
])('a %s consumer restarted while a producer streams into it', (_kind: string, lossy: boolean) => {
  it('accounts for every item exactly: produced = consumed + dropped (each counted once, by cause)', async () => {
    const consumer = new Tally({ maxBufferSize: 1000, queueSize: 10_000, lossy });
    const producer = new Ticks({ subscribers: [consumer.getWorkQueue()] });
    const reports = collect<{ produced?: number; consumed?: number }>(producer, 'message');
    const runs = collect<{ produced?: number; consumed?: number }>(consumer, 'message'); // each run's count, from onStop
    const counts = collect<number>(consumer, 'result');
    await consumer.start();
    await producer.start();
    for (let restart = 0; restart < 4; restart++) {
      const seen = counts.length;
      await eventually(() => counts.length > seen + 20, 'the stream under way');
      await consumer.stop(); // what it holds in flight, queued or unsent ends dropped, counted once
      await consumer.start();
    }
    await eventually(() => counts.length > 20, 'the stream under way again');
    await producer.stop();
    await consumer.stop();
    const produced = reports.find((report) => report.produced !== undefined)!.produced!;
    const consumed = runs.reduce((sum, run) => sum + (run.consumed ?? 0), 0);
    const queue = consumer.getWorkQueue();
    expect(runs).toHaveLength(5);
    expect(queue.dropped).toBeGreaterThan(0); // restarts under a flat-out stream do drop items in flight
    expect(consumed + queue.dropped).toBe(produced);
  });
});
