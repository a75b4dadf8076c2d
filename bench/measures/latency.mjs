// Latency with prodcon: a paced producer (workTimeout 1000/rate ms) into a consumer with maxBufferSize 1,
// from the producer's `work` return (the item's stamp) to the consumer's `work` call; only items created
// in the window after the warm-up count. `redis`: the queue kept in Redis Streams.
import { setTimeout as sleep } from 'node:timers/promises';
import { Generator, LatencyProbe } from '../workers.mjs';
import { percentiles } from '../lib/stats.mjs';

export async function latency({ rate = 1000, warmupMs = 1000, measureMs = 2000, redis }) {
  const queue = redis ? { queue: (await import('@prodcon/redis')).redisQueue(`bench-latency-${process.pid}`, { url: redis.url, namespace: redis.namespace }) } : {};
  const probe = new LatencyProbe({ maxBufferSize: 1, workTimeout: 0, output: 'ignore', ...queue });
  const producer = new Generator({ workTimeout: 1000 / rate, args: { size: 'small' }, subscribers: [probe.getWorkQueue()], output: 'ignore' });
  const report = new Promise((resolve) => probe.on('message', resolve));
  const produced = new Promise((resolve) => producer.on('message', resolve));
  await probe.start();
  await producer.start();
  await sleep(warmupMs + measureMs + 300); // the window, after the first item, is surely over
  await producer.stop();
  await probe.stopAtQueueEnd();
  const { latencies, created } = await report;
  await produced;
  if (redis) await (await import('@prodcon/redis')).closeRedis();
  const windowStart = created[0] + warmupMs * 1e6;
  const windowEnd = windowStart + measureMs * 1e6;
  const inWindow = latencies.filter((_, index) => created[index] >= windowStart && created[index] < windowEnd);
  return { ...percentiles(inWindow), delivered: inWindow.length / (measureMs / 1000) };
}
