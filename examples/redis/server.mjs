// Host B, the analysis server: `node examples/redis/server.mjs` (then start lab-pc.mjs on the lab PCs).
// It hosts the Redis queue while its consumer runs: ready while it runs, drained at the end.
import { isMainProcess } from '@prodcon/core';
import { closeRedis } from '@prodcon/redis';
import { Analysis, readings } from './workers.mjs';

if (isMainProcess()) {
  const seconds = Number(process.argv[2] ?? 8);
  const queue = readings();
  const analysis = new Analysis({ queue, workTimeout: 500, maxBufferSize: 1000 });
  analysis.on('result', (line) => console.log(line));
  await analysis.start();
  console.log(`analysis runs for ${seconds} s; start lab-pc.mjs elsewhere`);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await analysis.stopAtQueueEnd(); // what is queued is analysed first
  console.log(`dropped (every host): ${queue.dropped}, by cause: ${JSON.stringify(queue.drops)}`);
  await closeRedis();
}
