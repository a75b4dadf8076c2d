// Figures without a peer: idle CPU, and the memory of a lossy pair whose consumer lags.
import { setTimeout as sleep } from 'node:timers/promises';
import { Counter, Generator, Idle, SlowConsumer } from '../workers.mjs';
import { cpuSeconds, rssMb } from '../lib/proc.mjs';

/** % of one core used by a 1 Hz producer and its idle consumer (both children), after `settleSeconds`. */
export async function idleCpu({ seconds = 10, settleSeconds = 10 }) {
  const consumer = new Counter({ workTimeout: 5000, output: 'ignore' });
  const producer = new Idle({ workTimeout: 1000, subscribers: [consumer.getWorkQueue()], output: 'ignore' });
  await consumer.start();
  await producer.start();
  // Steady state: a fresh child spends ~50 ms in one garbage collection some 8 s after its start
  // (V8's memory reducer, once it sees the process idle); that is start-up cost, not idle cost.
  await sleep(settleSeconds * 1000);
  const pids = [consumer.pid, producer.pid];
  const before = pids.map(cpuSeconds);
  await sleep(seconds * 1000);
  const used = pids.map(cpuSeconds).reduce((sum, value, index) => sum + value - before[index], 0);
  await producer.stop();
  await consumer.stop();
  return { cpu: (used / seconds) * 100 };
}

/** RSS of a lossy pair (consumer ~10× slower than its 10 kHz producer) at the start and end of `seconds`. */
export async function lossyRss({ seconds = 30 }) {
  const consumer = new SlowConsumer({ workTimeout: 0, lossy: true, queueSize: 1000, output: 'ignore' });
  const producer = new Generator({ workTimeout: 0.1, args: { size: 'small' }, subscribers: [consumer.getWorkQueue()], output: 'ignore' });
  let consumed = 0;
  consumer.on('result', (n) => (consumed += n));
  await consumer.start();
  await producer.start();
  const produced = new Promise((resolve) => producer.on('message', resolve));
  await sleep(2000);
  const pids = [consumer.pid, producer.pid];
  const samples = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    samples.push(pids.reduce((sum, pid) => sum + rssMb(pid), 0));
    await sleep(1000);
  }
  await producer.stop();
  await consumer.stop();
  const { produced: count } = await produced;
  return {
    first: samples[0],
    last: samples.at(-1),
    max: Math.max(...samples),
    growth: (samples.at(-1) - samples[0]) / samples[0],
    slowdown: count / Math.max(1, consumed),
    dropped: consumer.getWorkQueue().dropped,
  };
}
