// The pool job with the pools users pick instead of prodcon: tinypool and workerpool, 2 worker threads,
// tasks of `batch` items (1: one task per item), every task submitted at once (the pools queue them).
// Threads run in this process: its CPU time is the whole job's.
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { jobItems, resultCounter, timeJob } from '../lib/job.mjs';

const TASK = new URL('../baselines/thread-task.mjs', import.meta.url).href;
const WORKERPOOL_SCRIPT = fileURLToPath(new URL('../baselines/workerpool-worker.mjs', import.meta.url));

function tasks(items, batch) {
  if (batch === 1) return items;
  const chunks = [];
  for (let index = 0; index < items.length; index += batch) chunks.push(items.slice(index, index + batch));
  return chunks;
}

async function run({ count, batch, limitMs, submitOne, warm, destroy }) {
  await warm();
  const items = jobItems(count);
  const counter = resultCounter(count);
  const submit = () => Promise.all(tasks(items, batch).map((task) => submitOne(task).then((results) => counter.add(results))));
  const figures = await timeJob({ count, counter, pids: [], submit, limitMs });
  await destroy();
  return figures;
}

export function tinypool({ items: count = 200_000, batch = 128, limitMs = 60_000 }) {
  const pool = new Tinypool({ filename: TASK, minThreads: 2, maxThreads: 2 });
  return run({
    count,
    batch,
    limitMs,
    submitOne: (task) => pool.run(task),
    // Both threads up and the task module loaded before the clock starts, as prodcon's start() does.
    warm: () => Promise.all([pool.run([]), pool.run([])]),
    destroy: () => pool.destroy(),
  });
}

export function workerpool_({ items: count = 200_000, batch = 128, limitMs = 60_000 }) {
  const pool = workerpool.pool(WORKERPOOL_SCRIPT, { minWorkers: 2, maxWorkers: 2, workerType: 'thread' });
  return run({
    count,
    batch,
    limitMs,
    submitOne: (task) => pool.exec('task', [task]),
    warm: () => Promise.all([pool.exec('task', [[]]), pool.exec('task', [[]])]),
    destroy: () => pool.terminate(),
  });
}
export { workerpool_ as workerpool };
