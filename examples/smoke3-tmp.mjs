import { isMainProcess } from '@prodcon/core';
import { redisQueue, closeRedis, redisQueueStats } from '@prodcon/redis';
import { Gate, Counter } from '../test/fixtures/workers.mjs';
if (isMainProcess()) {
  const q = redisQueue('smoke', { url: process.env.URL, namespace: 'smoke' + Date.now(), capacity: 5, lossy: true });
  const consumer = new Gate({ workTimeout: 0, queue: q });
  const producer = new Counter({ subscribers: [q], args: { stopAt: 2000 } });
  const batches = []; consumer.on('result', (b) => batches.push(b));
  const blocked = new Promise((r) => consumer.once('message', r));
  await consumer.start();
  await q.put(-1);
  await blocked;
  const done = new Promise((r) => producer.on('state', (s) => s === 'stopped' && r()));
  await producer.start();
  await done;
  console.log('producer done', JSON.stringify(await redisQueueStats(q)));
  consumer.sendMessage('go');
  await new Promise((r) => setTimeout(r, 500));
  console.log('after go', batches.flat(), JSON.stringify(await redisQueueStats(q)));
  await consumer.stopAtQueueEnd();
  console.log(batches.flat(), q.dropped);
  process.exit(0);
}
