import { isMainProcess, ConsumerPool } from '@prodcon/core';
import { redisQueue, redisQueueStats } from '@prodcon/redis';
import { Paced } from '../test/fixtures/pool-workers.mjs';
if (isMainProcess()) {
  const q = redisQueue('bal', { url: process.env.URL, namespace: 'smoke' + Date.now(), capacity: 3 });
  const pool = new ConsumerPool(Paced, { size: 2, maxBufferSize: 1, workTimeout: 0, queue: q, args: { delays: { 'Paced-1': 5, 'Paced-2': 10 } } });
  const seen = []; pool.on('result', (b) => seen.push(...b));
  await pool.put(...Array.from({ length: 300 }, (_, i) => i));
  console.log('put done', JSON.stringify(await redisQueueStats(q)));
  const finals = await pool.join();
  const missing = Array.from({ length: 300 }, (_, i) => i).filter((i) => !seen.includes(i));
  console.log(finals, 'missing', missing, 'dropped', q.dropped, JSON.stringify(await redisQueueStats(q)));
  process.exit(0);
}
