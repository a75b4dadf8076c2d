// pnpm bench [--quick]
//
// Measures prodcon and, in the same run, the baselines it is compared with;
// prints one table (prodcon figure, baseline, ratio) and writes
// bench/results/latest.json. The workers measured are in bench/workers.mjs;
// the baselines (raw sockets, process.send, a relay through the parent) in
// bench/baselines/.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumerPool, isMainProcess } from '@prodcon/core';
import { closeRedis, onTransportError, redisQueue } from '@prodcon/redis';
import { hasRedisServer, startPrivateRedis } from '../scripts/lib/private-redis.mjs';
import { Counter, Generator, Idle, LatencyProbe, SlowConsumer } from './workers.mjs';
import { metricsCost } from './metrics-cost.mjs';

const quick = process.argv.includes('--quick');
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const WARMUP_MS = quick ? 500 : 1000;
const MEASURE_MS = quick ? 1200 : 3000;
const rows = [];
const details = {};

function row(section, measure, prodcon, unit, baselineName, baseline, note = '') {
  const ratio = baseline ? prodcon / baseline : undefined;
  rows.push({ section, measure, prodcon, unit, baselineName, baseline, ratio, note });
  const format = (value) => (value === undefined ? '' : formatNumber(value, unit));
  process.stderr.write(
    `  ${measure}: ${format(prodcon)} ${unit}${baselineName ? `  vs ${baselineName} ${format(baseline)}` : ''}${ratio ? `  (${(ratio * 100).toFixed(0)}%)` : ''}\n`,
  );
}

function formatNumber(value, unit) {
  if (unit === 'items/s') return value >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : `${(value / 1e3).toFixed(1)}k`;
  if (unit === 'ms') return value.toFixed(value < 1 ? 3 : 1);
  if (unit === '%') return value.toFixed(2);
  if (unit === 'MB') return value.toFixed(1);
  return String(value);
}

/** Counts the rate of `count()` over the measuring window, after a warm-up. */
async function rateOver(count) {
  await sleep(WARMUP_MS);
  const first = await count();
  const started = performance.now();
  await sleep(MEASURE_MS);
  const last = await count();
  return (last - first) / ((performance.now() - started) / 1000);
}

// --- prodcon -----------------------------------------------------------------------------

/**
 * Producers flat out into consumers that count. `queue` (optional) gives each consumer its queue
 * options (a Redis queue: `{ queue }`; lossy: `{ lossy: true }`); `pool` makes each consumer a
 * ConsumerPool of that many members.
 */
async function prodconThroughput({ size, codec, producers = 1, consumers = 1, queue = () => ({}), pool }) {
  const consumerWorkers = Array.from({ length: consumers }, (_, index) => {
    const options = { name: `counter-${index}`, maxBufferSize: 1000, workTimeout: 0, codec, output: 'ignore', ...queue() };
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
      }),
  );
  await Promise.all(consumerWorkers.map((worker) => worker.start()));
  await Promise.all(producerWorkers.map((worker) => worker.start()));
  const rates = [];
  await sleep(WARMUP_MS);
  const first = [...counts];
  const started = performance.now();
  await sleep(MEASURE_MS);
  const seconds = (performance.now() - started) / 1000;
  counts.forEach((count, index) => rates.push((count - first[index]) / seconds));
  await Promise.all(producerWorkers.map((worker) => worker.stop()));
  await Promise.all(consumerWorkers.map((worker) => worker.stop()));
  return rates;
}

async function prodconLatency(rate, queue = {}) {
  const probe = new LatencyProbe({ maxBufferSize: 1, workTimeout: 0, output: 'ignore', ...queue });
  const producer = new Generator({
    workTimeout: 1000 / rate,
    args: { size: 'small' },
    subscribers: [probe.getWorkQueue()],
    output: 'ignore',
  });
  const report = new Promise((resolve) => probe.on('message', resolve));
  const produced = new Promise((resolve) => producer.on('message', resolve));
  await probe.start();
  await producer.start();
  await sleep(WARMUP_MS + MEASURE_MS + 300); // the window, after the first item, is surely over
  await producer.stop();
  await probe.stopAtQueueEnd();
  const { latencies, created } = await report;
  await produced;
  // Measure on the items created in the window after the warm-up (their creation stamps say when).
  const windowStart = created[0] + WARMUP_MS * 1e6;
  const windowEnd = windowStart + MEASURE_MS * 1e6;
  const inWindow = latencies.filter((_, index) => created[index] >= windowStart && created[index] < windowEnd);
  return { ...percentiles(inWindow), delivered: inWindow.length / (MEASURE_MS / 1000) };
}

async function prodconStart(times) {
  const durations = [];
  for (let index = 0; index < times; index++) {
    const idle = new Idle({ workTimeout: 60_000, output: 'ignore' });
    const started = performance.now();
    await idle.start();
    durations.push(performance.now() - started);
    await idle.stop();
  }
  return median(durations);
}

async function prodconIdleCpu(seconds, settleSeconds) {
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
  return (used / seconds) * 100;
}

async function prodconLossyRss(seconds) {
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

/**
 * Redelivery after a pool member's death: a pool of two on a Redis queue, the main process putting;
 * one member is SIGKILLed mid-batch. Measured: from the kill until the live member's checker handed
 * the dead one's entries on (the ERR_HOST_LOST news every process following the queue gets).
 */
async function redisRedelivery(queue) {
  const pool = new ConsumerPool(SlowConsumer, { size: 2, maxBufferSize: 10, workTimeout: 0, queue, output: 'ignore', restart: { max: 1, backoffMs: 60_000 } });
  await pool.start();
  let stopWatching;
  const lost = new Promise((resolve) => {
    stopWatching = onTransportError((error) => error.code === 'ERR_HOST_LOST' && resolve(performance.now()));
  });
  for (let item = 0; item < 500; item++) void queue.put(item);
  await sleep(300);
  const killedAt = performance.now();
  process.kill(pool.members[0].pid, 'SIGKILL');
  const handedOn = await lost;
  stopWatching();
  await pool.terminate();
  return handedOn - killedAt;
}

// --- baselines -------------------------------------------------------------------------

function child(script, args) {
  const subprocess = fork(here(script), args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // Baselines are killed mid-stream: a send still in flight then fails with EPIPE. That is the end
  // of the measurement, not a failure of the run.
  subprocess.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_IPC_CHANNEL_CLOSED') throw error;
  });
  const next = (predicate) =>
    new Promise((resolve) => {
      const listener = (message) => {
        if (!predicate(message)) return;
        subprocess.off('message', listener);
        resolve(message);
      };
      subprocess.on('message', listener);
    });
  const ask = (request, key) => {
    const answer = next((message) => message && typeof message === 'object' && key in message);
    subprocess.send(request);
    return answer;
  };
  const exit = async () => {
    if (subprocess.exitCode === null && subprocess.signalCode === null) {
      const exited = new Promise((resolve) => subprocess.once('exit', resolve));
      subprocess.send('exit');
      await exited;
    }
  };
  return { subprocess, next, ask, exit };
}

let socketCount = 0;
function socketPath() {
  return join(tmpdir(), `prodcon-bench-${process.pid}-${socketCount++}.sock`);
}

async function rawThroughput(size, codec) {
  const path = socketPath();
  const consumer = child('./baselines/raw-uds.mjs', ['consumer', path, size, codec]);
  await consumer.next((message) => message?.ready);
  const producer = child('./baselines/raw-uds.mjs', ['producer', path, size, codec]);
  const rate = await rateOver(async () => (await consumer.ask('count', 'count')).count);
  await producer.exit();
  await consumer.exit();
  return rate;
}

async function rawLatency(rate) {
  const path = socketPath();
  const consumer = child('./baselines/raw-uds.mjs', ['consumer', path, 'small', 'json']);
  await consumer.next((message) => message?.ready);
  const producer = child('./baselines/raw-uds.mjs', ['producer', path, 'small', 'json', 'paced', String(rate)]);
  const started = performance.now();
  await sleep(WARMUP_MS + MEASURE_MS);
  const { latencies } = await consumer.ask('latencies', 'latencies');
  const seconds = (performance.now() - started) / 1000;
  await producer.exit();
  await consumer.exit();
  return { ...percentiles(latencies.slice(Math.floor(latencies.length * (WARMUP_MS / (WARMUP_MS + MEASURE_MS))))), delivered: latencies.length / seconds };
}

/** One item per process.send, child to parent, honouring back-pressure. */
async function processSendThroughput(size) {
  const sender = child('./baselines/ipc-child.mjs', ['sender', size]);
  await sender.next((message) => message?.ready);
  let count = 0;
  sender.subprocess.on('message', () => count++);
  sender.subprocess.send('start');
  const rate = await rateOver(async () => count);
  sender.subprocess.kill('SIGKILL');
  return rate;
}

/**
 * One item per message, child to parent to child: the naive relay. Its only
 * flow control: the sender is paused while more than 1,000 forwarded messages
 * are unsent (without it the parent's memory grows without bound).
 */
async function relayThroughput(size) {
  const receiver = child('./baselines/ipc-child.mjs', ['receiver']);
  await receiver.next((message) => message?.ready);
  const sender = child('./baselines/ipc-child.mjs', ['sender', size]);
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
  const rate = await rateOver(async () => (await receiver.ask('count', 'count')).count);
  sender.subprocess.kill('SIGKILL');
  await receiver.exit();
  return rate;
}

async function bareStart(times) {
  const durations = [];
  for (let index = 0; index < times; index++) {
    const started = performance.now();
    const bare = fork(here('./baselines/bare.mjs'), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise((resolve) => bare.once('message', resolve));
    durations.push(performance.now() - started);
    bare.kill();
    await new Promise((resolve) => bare.once('exit', resolve));
  }
  return median(durations);
}

// --- helpers ---------------------------------------------------------------------------

function percentiles(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (fraction) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] / 1e6;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), samples: sorted.length };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

// --- the run -----------------------------------------------------------------------------

async function main() {
  const began = Date.now();
  const codecs = ['auto', 'json', 'v8', 'superjson'];
  process.stderr.write(`prodcon bench${quick ? ' (quick)' : ''}: ${cpus().length} × ${cpus()[0].model}, Node ${process.version}\n`);

  process.stderr.write('1. 1→1 throughput (producer workTimeout 0, consumer maxBufferSize 1000)\n');
  for (const size of ['small', '1k', '64k']) {
    const sizeCodecs = size === 'small' || !quick ? codecs : ['auto'];
    for (const codec of sizeCodecs) {
      const [prodcon] = await prodconThroughput({ size, codec });
      const ceiling = await rawThroughput(size, codec);
      row('1→1 throughput', `${size}, ${codec}`, prodcon, 'items/s', 'raw socket, same codec (ceiling)', ceiling);
    }
    if (quick && size !== 'small') continue;
    const auto = rows.find((entry) => entry.measure === `${size}, auto`).prodcon;
    row('1→1 throughput', `${size}, auto`, auto, 'items/s', 'process.send, 1 item/message', await processSendThroughput(size));
    row('1→1 throughput', `${size}, auto`, auto, 'items/s', 'relay through the parent, 1 item/message', await relayThroughput(size));
  }

  process.stderr.write('2. fan-out and fan-in (small items, auto)\n');
  const single = rows.find((entry) => entry.measure === 'small, auto').prodcon;
  const fanOut = await prodconThroughput({ size: 'small', codec: 'auto', consumers: 2 });
  row('fan-out 1→2', 'each subscriber', Math.min(...fanOut), 'items/s', '1→1 (same run)', single);
  const [fanIn] = await prodconThroughput({ size: 'small', codec: 'auto', producers: 2 });
  row('fan-in 2→1', 'the consumer', fanIn, 'items/s', '1→1 (same run)', single);

  process.stderr.write('3. latency, work return → consumer work call (small items, paced)\n');
  for (const rate of [1000, 10_000]) {
    const prodcon = await prodconLatency(rate);
    const raw = await rawLatency(rate);
    details[`latency@${rate}`] = { prodcon, raw };
    row(`latency @${rate / 1000}k/s`, 'p50', prodcon.p50, 'ms', 'raw socket, paced', raw.p50);
    row(`latency @${rate / 1000}k/s`, 'p99', prodcon.p99, 'ms', 'raw socket, paced', raw.p99);
    row(`latency @${rate / 1000}k/s`, 'p99.9', prodcon.p999, 'ms', 'raw socket, paced', raw.p999);
    row(`latency @${rate / 1000}k/s`, 'delivered rate', prodcon.delivered, 'items/s', 'asked rate', rate);
  }

  await redisSection(single);

  process.stderr.write('4. start() → onStart returned\n');
  const starts = quick ? 4 : 10;
  const bare = await bareStart(starts);
  const start = await prodconStart(starts);
  row('start', 'start() → onStart (median)', start, 'ms', 'bare `node -e` child → first message', bare);

  process.stderr.write('5. idle CPU and lossy memory\n');
  const idleSeconds = quick ? 2 : 10;
  // /proc counts CPU time in 10 ms ticks: 0 means less than one tick in the whole window.
  const idleResolution = (0.01 / idleSeconds) * 100;
  const idleSettle = quick ? 1 : 10;
  row('idle', `1 Hz producer + idle consumer, CPU (after ${idleSettle} s)`, await prodconIdleCpu(idleSeconds, idleSettle), '%', '', undefined, `% of one core, both children (resolution ${idleResolution.toFixed(2)} %)`);
  const rss = await prodconLossyRss(quick ? 6 : 30);
  details.lossyRss = rss;
  row('lossy RSS', `RSS, consumer ${rss.slowdown.toFixed(0)}× slower, ${quick ? 6 : 30} s`, rss.last, 'MB', 'RSS at the start of the window', rss.first, `max ${rss.max.toFixed(1)} MB, ${rss.dropped} dropped`);

  process.stderr.write('6. metrics on (interval 1 s, a listener) vs off, 1→1 small items, alternating rounds\n');
  const cost = await metricsCost({ warmupMs: WARMUP_MS, measureMs: MEASURE_MS, rounds: quick ? 3 : 5 });
  details.metricsCost = cost;
  row('metrics', 'small, auto, metrics on (median of rounds)', cost.on, 'items/s', 'metrics off (same rounds)', cost.off);

  printTable();
  const result = {
    date: new Date().toISOString(),
    quick,
    machine: { cpus: cpus().length, model: cpus()[0].model, node: process.version, platform: process.platform },
    durationSeconds: (Date.now() - began) / 1000,
    rows,
    details,
  };
  mkdirSync(here('./results'), { recursive: true });
  writeFileSync(here('./results/latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`\nwrote bench/results/latest.json (${result.durationSeconds.toFixed(0)} s)\n`);
}

/** Section 6: queues kept in Redis Streams, next to the local transport measured in the same run. */
async function redisSection(localSingle) {
  const server = process.env.PRODCON_REDIS_URL ? undefined : hasRedisServer() ? await startPrivateRedis() : undefined;
  const url = process.env.PRODCON_REDIS_URL ?? server?.url;
  if (!url) {
    process.stderr.write('6. Redis Streams: skipped (no redis-server on PATH and no PRODCON_REDIS_URL)\n');
    return;
  }
  process.stderr.write(`6. Redis Streams (${server ? 'a private redis-server on loopback' : url}), small items, auto\n`);
  let queues = 0;
  const namespace = `bench-${process.pid}`;
  const redis = (options = {}) => ({ queue: redisQueue(`bench-${++queues}`, { url, namespace, ...options }) });
  const section = 'redis vs local';
  const [lossless] = await prodconThroughput({ size: 'small', codec: 'auto', queue: () => redis() });
  row(section, '1→1 lossless', lossless, 'items/s', 'local 1→1 lossless (same run)', localSingle);
  const [localLossy] = await prodconThroughput({ size: 'small', codec: 'auto', queue: () => ({ lossy: true }) });
  const [lossy] = await prodconThroughput({ size: 'small', codec: 'auto', queue: () => redis({ lossy: true }) });
  row(section, '1→1 lossy, cap 10,000 (exact), consumed', lossy, 'items/s', 'local 1→1 lossy (same run)', localLossy);
  const [localPool] = await prodconThroughput({ size: 'small', codec: 'auto', pool: 3 });
  const [pool] = await prodconThroughput({ size: 'small', codec: 'auto', pool: 3, queue: () => redis() });
  row(section, 'pool of 3 (3 processes), lossless', pool, 'items/s', 'local pool of 3 (same run)', localPool);
  const latency = await prodconLatency(1000, redis());
  const local = details['latency@1000']?.prodcon ?? (await prodconLatency(1000));
  details.redisLatency = latency;
  row(section, 'latency @1k/s p50', latency.p50, 'ms', 'local, same rate', local.p50);
  row(section, 'latency @1k/s p99', latency.p99, 'ms', 'local, same rate', local.p99);
  row(section, 'latency @1k/s delivered rate', latency.delivered, 'items/s', 'asked rate', 1000);
  const redelivery = await redisRedelivery(redis({ capacity: 1000 }).queue);
  row(section, "redelivery after a member's death", redelivery, 'ms', 'lease + checker period (bound)', 3000);
  await closeRedis();
  await server?.dispose();
}

function printTable() {
  const header = ['section', 'measure', 'prodcon', 'baseline', 'baseline value', 'ratio'];
  const lines = rows.map((entry) => [
    entry.section,
    entry.measure,
    `${formatNumber(entry.prodcon, entry.unit)} ${entry.unit}`,
    entry.baselineName || entry.note,
    entry.baseline === undefined ? '' : `${formatNumber(entry.baseline, entry.unit)} ${entry.unit}`,
    entry.ratio === undefined ? '' : `${entry.ratio.toFixed(2)}×`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(`\n${format(header)}\n| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`);
  for (const line of lines) console.log(format(line));
}

if (isMainProcess()) await main();
