// The pool job with prodcon: a ConsumerPool of 2, results back to the main process (see lib/job.mjs).
//   tuned: maxBufferSize 1000, workTimeout 0; otherwise the defaults (maxBufferSize 1, workTimeout 5000)
//   put 'chunks': await pool.put(...chunk) for chunks of `chunk` items
//   put 'each': queue.put(item) for every item, none awaited (the queue of the pool, getWorkQueue())
import { ConsumerPool } from '@prodcon/core';
import { Echo } from '../workers.mjs';
import { jobItems, resultCounter, timeJob } from '../lib/job.mjs';

export async function job({ items: count = 200_000, tuned = true, put = 'chunks', chunk = 1000, limitMs = 60_000, execArgv }) {
  const options = tuned ? { maxBufferSize: 1000, workTimeout: 0 } : {};
  const pool = new ConsumerPool(Echo, { size: 2, output: 'ignore', ...options, ...(execArgv ? { execArgv } : {}) });
  const items = jobItems(count);
  const counter = resultCounter(count);
  pool.on('result', (results) => counter.add(results));
  await pool.start();
  let refused = 0;
  const submit = async () => {
    if (put === 'chunks') {
      for (let index = 0; index < count; index += chunk) await pool.put(...items.slice(index, index + chunk));
    } else {
      const queue = pool.getWorkQueue();
      for (const item of items) void queue.put(item).then((accepted) => accepted || refused++);
    }
  };
  const figures = await timeJob({ count, counter, pids: pool.members.map((member) => member.pid), submit, limitMs });
  // Cut short: the puts still waiting would take long to settle; the children end with this process
  // (their link to it closes), which exits once the result is sent.
  if (figures.incomplete) return figures;
  pool.close();
  await pool.join();
  if (refused) throw new Error(`${refused} puts refused`);
  return figures;
}
