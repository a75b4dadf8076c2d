// Baseline: the pool a user writes by hand. Two children forked with child_process.fork; the main process
// sends arrays of `batch` items with process.send, keeps up to `window` arrays in flight per child, and
// each child answers an array with the array of its results. No framework.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { jobItems, resultCounter, timeJob } from '../lib/job.mjs';

const WORKER = fileURLToPath(new URL('./fork-pool-worker.mjs', import.meta.url));

export async function job({ items: count = 200_000, batch = 128, window = 4, size = 2, limitMs = 60_000 }) {
  const children = Array.from({ length: size }, () => fork(WORKER, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))));
  const items = jobItems(count);
  const counter = resultCounter(count);
  let next = 0;
  const sendNext = (child) => {
    if (next >= count) return;
    child.send(items.slice(next, next + batch));
    next += batch;
  };
  for (const child of children) child.on('message', (results) => {
    counter.add(results);
    sendNext(child);
  });
  const submit = async () => {
    for (let slot = 0; slot < window; slot++) for (const child of children) sendNext(child);
  };
  const figures = await timeJob({ count, counter, pids: children.map((child) => child.pid), submit, limitMs });
  await Promise.all(children.map((child) => new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill();
  })));
  return figures;
}
