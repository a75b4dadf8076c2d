// pnpm soak [--minutes 10] [--rate 50000]
//
// A sensor-style service left running: two sensors paced by the clock (each args.rate readings a
// second, workTimeout 0: the loop backs off when ahead), one into a lossless recorder, one into a lossy
// one, and a third sensor paced by its workTimeout (1 ms: 1,000 readings a second, one per call, the
// loop sleeping between calls) into a lossless recorder, side by side; every minute one recorder is
// restarted (in turn). Every 30 s it prints the resident memory and open file descriptors of
// the main process and of each child, and the counts. At the end it checks the accounting: for each
// queue, every reading produced was consumed or counted dropped (by cause). Not part of CI.
import { readdirSync, readFileSync } from 'node:fs';
import { isMainProcess } from '@prodcon/core';
import { Recorder, Sensor } from './workers.mjs';

const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const MINUTES = option('minutes', 10);
const RATE = option('rate', 50_000);
const PRINT_EVERY_MS = 30_000;
const RESTART_EVERY_MS = 60_000;

/** A process's resident memory (MB) and open descriptors, or undefined when it is gone or going (a restart). */
const figuresOf = (pid) => {
  try {
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return rss ? { rss: Number(rss[1]) / 1024, fds: readdirSync(`/proc/${pid}/fd`).length } : undefined;
  } catch {
    return undefined;
  }
};
const total = (drops) => Object.values(drops).reduce((sum, count) => sum + count, 0);

if (isMainProcess()) {
  const lines = [
    { name: 'lossless', recorder: new Recorder({ name: 'lossless-recorder', queueSize: 10_000, maxBufferSize: 1000 }) },
    { name: 'lossy', recorder: new Recorder({ name: 'lossy-recorder', queueSize: 10_000, maxBufferSize: 1000, lossy: true }) },
    // Its sleeps between calls once leaked ~1.1 KB a call (4 GB an hour), which the clock-paced sensors never showed.
    { name: 'paced', recorder: new Recorder({ name: 'paced-recorder', queueSize: 10_000, maxBufferSize: 1000 }), workTimeout: 1, rate: 1000 },
  ];
  for (const line of lines) {
    const pacing = { workTimeout: line.workTimeout ?? 0, args: { rate: line.rate ?? RATE } };
    line.sensor = new Sensor({ name: `${line.name}-sensor`, ...pacing, subscribers: [line.recorder.getWorkQueue()] });
    line.outOfOrder = 0;
    line.recorder.on('error', (error) => console.error(`${line.recorder.name}: ${error.message}`));
    line.sensor.on('error', (error) => console.error(`${line.sensor.name}: ${error.message}`));
  }
  const workers = lines.flatMap((line) => [line.sensor, line.recorder]);
  for (const line of lines) line.recorder.on('metrics', () => {}); // metrics on: counters exact across runs
  for (const line of lines) line.sensor.on('metrics', () => {});
  await Promise.all(lines.map((line) => line.recorder.start()));
  await Promise.all(lines.map((line) => line.sensor.start()));
  const started = Date.now();
  const samples = [];

  const sample = () => {
    const row = { minute: (Date.now() - started) / 60_000, main: figuresOf(process.pid) };
    for (const worker of workers) row[worker.name] = worker.pid ? figuresOf(worker.pid) : undefined;
    for (const line of lines) {
      const queue = line.recorder.getWorkQueue();
      row[`${line.name} queue`] = {
        produced: line.sensor.metrics().produced.total,
        consumed: line.recorder.metrics().consumed.total,
        dropped: queue.dropped,
      };
    }
    samples.push(row);
    const processes = ['main', ...workers.map((worker) => worker.name)]
      .map((name) => (row[name] ? `${name} ${row[name].rss.toFixed(0)} MB/${row[name].fds} fds` : `${name} -`))
      .join('  ');
    const counts = lines.map((line) => {
      const q = row[`${line.name} queue`];
      return `${line.name}: produced ${q.produced} consumed ${q.consumed} dropped ${q.dropped}`;
    });
    console.log(`[${row.minute.toFixed(1)} min] ${processes}\n    ${counts.join('  |  ')}`);
  };

  let restarts = 0;
  const restartTimer = setInterval(async () => {
    const line = lines[restarts++ % lines.length];
    const result = await line.recorder.stop().then(() => line.recorder.stopResult);
    line.outOfOrder += result?.outOfOrder ?? 0;
    await line.recorder.start();
    console.log(`    restarted ${line.recorder.name}`);
  }, RESTART_EVERY_MS);
  const printTimer = setInterval(sample, PRINT_EVERY_MS);
  sample();
  await new Promise((resolve) => setTimeout(resolve, MINUTES * 60_000));
  clearInterval(restartTimer);
  clearInterval(printTimer);

  // Stop the sensors first (what they sent arrives), then the recorders (what is still queued is counted dropped).
  await Promise.all(lines.map((line) => line.sensor.stop()));
  await Promise.all(lines.map(async (line) => {
    await line.recorder.stop();
    line.outOfOrder += line.recorder.stopResult?.outOfOrder ?? 0;
  }));
  sample();

  console.log('\naccounting (produced = consumed + dropped, per queue):');
  let exact = true;
  for (const line of lines) {
    const queue = line.recorder.getWorkQueue();
    const produced = line.sensor.metrics().produced.total;
    const consumed = line.recorder.metrics().consumed.total;
    const ok = produced === consumed + queue.dropped;
    exact &&= ok && (line.name === 'lossy' || line.outOfOrder === 0);
    console.log(
      `  ${line.name}: produced ${produced} = consumed ${consumed} + dropped ${queue.dropped} ${JSON.stringify(queue.drops)}: ${ok ? 'exact' : `OFF BY ${produced - consumed - queue.dropped}`}; out of order ${line.outOfOrder}`,
    );
  }
  const first = samples.find((row) => row.minute >= 1) ?? samples[0];
  const last = samples.at(-2) ?? samples.at(-1);
  console.log(`\nmain process: RSS ${first.main.rss.toFixed(1)} MB at ${first.minute.toFixed(1)} min → ${last.main.rss.toFixed(1)} MB at ${last.minute.toFixed(1)} min; fds ${first.main.fds} → ${last.main.fds}`);
  for (const worker of workers) {
    if (first[worker.name] && last[worker.name]) {
      console.log(`${worker.name}: RSS ${first[worker.name].rss.toFixed(1)} → ${last[worker.name].rss.toFixed(1)} MB; fds ${first[worker.name].fds} → ${last[worker.name].fds}`);
    }
  }
  console.log(`restarts: ${restarts}`);
  process.exitCode = exact ? 0 : 1;
}
