// Streaming child → child with prodcon: producers flat out (workTimeout 0) into consumers that count
// (maxBufferSize 1000, workTimeout 0), counted at the consumers over the window after a warm-up.
//   size: small | 1k | 64k; codec; producers/consumers: fan-in / fan-out; pool: each consumer a pool of
//   that many members; lossy; metricsInterval (metrics on, a listener on every worker); redis: { url,
//   namespace, lossy } for queues kept in Redis Streams; producerExecArgv: flags of the producers (profiling).
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumerPool } from '@prodcon/core';
import { Counter, Generator } from '../workers.mjs';

export async function throughput({
  size = 'small',
  codec = 'auto',
  producers = 1,
  consumers = 1,
  pool,
  lossy = false,
  metricsInterval,
  redis,
  producerExecArgv,
  warmupMs = 1000,
  measureMs = 2000,
}) {
  const queue = redis ? await redisQueues(redis) : () => (lossy ? { lossy: true } : {});
  const metrics = metricsInterval ? { metricsInterval } : {};
  const consumerWorkers = Array.from({ length: consumers }, (_, index) => {
    const options = { name: `counter-${index}`, maxBufferSize: 1000, workTimeout: 0, codec, output: 'ignore', ...metrics, ...queue() };
    return pool ? new ConsumerPool(Counter, { ...options, size: pool }) : new Counter(options);
  });
  const counts = consumerWorkers.map(() => 0);
  consumerWorkers.forEach((worker, index) => worker.on('result', (n) => (counts[index] += n)));
  const producerWorkers = Array.from(
    { length: producers },
    (_, index) =>
      new Generator({
        name: `generator-${index}`,
        codec,
        args: { size },
        subscribers: consumerWorkers.map((worker) => worker.getWorkQueue()),
        output: 'ignore',
        ...metrics,
        ...(producerExecArgv ? { execArgv: producerExecArgv } : {}),
      }),
  );
  let snapshots = 0;
  if (metricsInterval) for (const worker of [...consumerWorkers, ...producerWorkers]) worker.on('metrics', () => snapshots++);
  await Promise.all(consumerWorkers.map((worker) => worker.start()));
  await Promise.all(producerWorkers.map((worker) => worker.start()));
  await sleep(warmupMs);
  const first = [...counts];
  const started = performance.now();
  const windowStart = process.hrtime.bigint();
  await sleep(measureMs);
  const seconds = (performance.now() - started) / 1000;
  // On the monotonic clock of V8's CPU profiles (the same in every process): bench/profile.mjs keeps this window.
  const windowUs = [Number(windowStart / 1000n), Number(process.hrtime.bigint() / 1000n)];
  const rates = counts.map((count, index) => (count - first[index]) / seconds);
  // The window is measured: a stop that fails (a producer busy encoding 64 KiB items on a loaded machine
  // has been seen to miss its stopTimeout) is reported with the figure, not instead of it.
  const stopFailures = [];
  const stop = (worker) => worker.stop().catch((error) => stopFailures.push(error.message));
  await Promise.all(producerWorkers.map(stop));
  await Promise.all(consumerWorkers.map(stop));
  if (metricsInterval && snapshots === 0) throw new Error('metrics were on, but no snapshot came');
  // Fan-out: what the slowest subscriber got; otherwise the one consumer's rate.
  return { rate: Math.min(...rates), rates, windowUs, warning: stopFailures[0], dropped: lossy || redis?.lossy ? consumerWorkers.map((worker) => worker.getWorkQueue().dropped) : undefined };
}

async function redisQueues({ url, namespace, lossy }) {
  const { redisQueue } = await import('@prodcon/redis');
  let queues = 0;
  return () => ({ queue: redisQueue(`bench-${process.pid}-${++queues}`, { url, namespace, ...(lossy ? { lossy: true } : {}) }) });
}
