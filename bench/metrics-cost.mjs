// What metrics cost: 1→1 small-item throughput with metrics off (the default) and on (interval 1 s,
// a 'metrics' listener on both workers, so that every `work` call is timed and the children report
// their memory and CPU), in alternating rounds so that drift on a shared machine hits both alike.
// bench/run.mjs calls metricsCost(); `node bench/metrics-cost.mjs [--quick]` runs it alone.
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isMainProcess } from '@prodcon/core';
import { Counter, Generator } from './workers.mjs';

/** Items per second at the consumer over `measureMs`, after `warmupMs`, metrics on or off. */
async function throughput(metricsOn, warmupMs, measureMs) {
  const metrics = metricsOn ? { metricsInterval: 1000 } : {};
  const consumer = new Counter({ name: 'counter', maxBufferSize: 1000, workTimeout: 0, output: 'ignore', ...metrics });
  const producer = new Generator({ name: 'generator', args: { size: 'small' }, subscribers: [consumer.getWorkQueue()], output: 'ignore', ...metrics });
  let snapshots = 0;
  if (metricsOn) for (const worker of [consumer, producer]) worker.on('metrics', () => snapshots++);
  let count = 0;
  consumer.on('result', (n) => (count += n));
  await consumer.start();
  await producer.start();
  await sleep(warmupMs);
  const first = count;
  const started = performance.now();
  await sleep(measureMs);
  const rate = (count - first) / ((performance.now() - started) / 1000);
  await producer.stop();
  await consumer.stop();
  if (metricsOn && snapshots === 0) throw new Error('metrics were on, but no snapshot came');
  return rate;
}

/**
 * Runs `rounds` pairs (off, on, then on, off, ...) and returns the median
 * rate of each and their ratio (on / off).
 */
export async function metricsCost({ warmupMs = 1000, measureMs = 3000, rounds = 3 } = {}) {
  const off = [];
  const on = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so that neither always measures on a warmer machine.
    const order = round % 2 === 0 ? [false, true] : [true, false];
    for (const metricsOn of order) (metricsOn ? on : off).push(await throughput(metricsOn, warmupMs, measureMs));
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { off: median(off), on: median(on), ratio: median(on) / median(off), rounds: { off, on } };
}

if (isMainProcess() && process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const result = await metricsCost(quick ? { warmupMs: 500, measureMs: 1500, rounds: 3 } : {});
  console.log(JSON.stringify(result, null, 2));
}
