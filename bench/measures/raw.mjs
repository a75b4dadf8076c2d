// The baselines without prodcon: a raw Unix socket between two children (the ceiling), one process.send
// per item, a relay through the parent (bench/baselines/raw-uds.mjs and ipc-child.mjs).
import { setTimeout as sleep } from 'node:timers/promises';
import { baselineChild, socketPath } from '../lib/baseline-child.mjs';
import { percentiles } from '../lib/stats.mjs';
import { rateOver } from '../lib/window.mjs';

/** Producer child → consumer child, one length-prefixed frame per batch of 128, flat out. */
export async function throughput({ size = 'small', codec = 'json', warmupMs = 1000, measureMs = 2000 }) {
  const path = socketPath();
  const consumer = baselineChild('raw-uds.mjs', ['consumer', path, size, codec]);
  await consumer.next((message) => message?.ready);
  const producer = baselineChild('raw-uds.mjs', ['producer', path, size, codec]);
  const rate = await rateOver(async () => (await consumer.ask('count', 'count')).count, { warmupMs, measureMs });
  await producer.exit();
  await consumer.exit();
  return { rate };
}

/** Paced at `rate` items/s: the due items each 1 ms tick, one write; latency from item stamp to decode. */
export async function latency({ rate = 1000, warmupMs = 1000, measureMs = 2000 }) {
  const path = socketPath();
  const consumer = baselineChild('raw-uds.mjs', ['consumer', path, 'small', 'json']);
  await consumer.next((message) => message?.ready);
  const producer = baselineChild('raw-uds.mjs', ['producer', path, 'small', 'json', 'paced', String(rate)]);
  const started = performance.now();
  await sleep(warmupMs + measureMs);
  const { latencies } = await consumer.ask('latencies', 'latencies');
  const seconds = (performance.now() - started) / 1000;
  await producer.exit();
  await consumer.exit();
  const measured = latencies.slice(Math.floor(latencies.length * (warmupMs / (warmupMs + measureMs))));
  return { ...percentiles(measured), delivered: latencies.length / seconds };
}

/** One item per process.send, child to parent, honouring back-pressure. */
export async function processSend({ size = 'small', warmupMs = 1000, measureMs = 2000 }) {
  const sender = baselineChild('ipc-child.mjs', ['sender', size]);
  await sender.next((message) => message?.ready);
  let count = 0;
  sender.subprocess.on('message', () => count++);
  sender.subprocess.send('start');
  const rate = await rateOver(async () => count, { warmupMs, measureMs });
  sender.subprocess.kill('SIGKILL');
  return { rate };
}

/**
 * One item per message, child to parent to child: the naive relay. Its only flow control: the sender is
 * paused while more than 1,000 forwarded messages are unsent (without it the parent's memory grows
 * without bound).
 */
export async function relay({ size = 'small', warmupMs = 1000, measureMs = 2000 }) {
  const receiver = baselineChild('ipc-child.mjs', ['receiver']);
  await receiver.next((message) => message?.ready);
  const sender = baselineChild('ipc-child.mjs', ['sender', size]);
  await sender.next((message) => message?.ready);
  let unsent = 0;
  let paused = false;
  sender.subprocess.on('message', (message) => {
    if (!message || message.seq === undefined) return;
    unsent++;
    receiver.subprocess.send(message, () => {
      unsent--;
      if (paused && unsent < 100 && sender.subprocess.connected) {
        paused = false;
        sender.subprocess.send('resume');
      }
    });
    if (!paused && unsent > 1000 && sender.subprocess.connected) {
      paused = true;
      sender.subprocess.send('pause');
    }
  });
  sender.subprocess.send('start');
  const rate = await rateOver(async () => (await receiver.ask('count', 'count')).count, { warmupMs, measureMs });
  sender.subprocess.kill('SIGKILL');
  await receiver.exit();
  return { rate };
}
