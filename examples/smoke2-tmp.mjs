import { Consumer, Producer, isMainProcess } from '@prodcon/core';
import { redisQueue, closeRedis, redisQueueStats } from '@prodcon/redis';
import { Gate, Counter } from '../test/fixtures/workers.mjs';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
if (isMainProcess()) {
  const q = redisQueue('smoke', { url: process.env.URL, namespace: 'smoke' + Date.now(), capacity: 100 });
  const consumer = new Gate({ workTimeout: 0, queue: q });
  const producer = new Counter({ subscribers: [q], args: { stopAt: 5000 } });
  let produced = 0; producer.on('result', () => produced++);
  const blocked = new Promise((r) => consumer.once('message', r));
  await consumer.start();
  await producer.start();
  await blocked;
  for (let i = 0; i < 10; i++) { await sleep(300); console.log('produced', produced, 'size', q.size, await redisQueueStats(q).then(s => JSON.stringify(s))); }
  process.exit(0);
}
