import { Consumer, Producer, isMainProcess } from '@prodcon/core';
import { redisQueue, closeRedis, redisQueueStats } from '@prodcon/redis';

export class Count extends Producer {
  static moduleUrl = import.meta.url;
  static onStart() { return { n: 0 }; }
  static work(ctx) { const v = ctx.startResult.n++; if (v + 1 >= ctx.args.stopAt) ctx.stop(); return v; }
}
export class Collect extends Consumer {
  static moduleUrl = import.meta.url;
  static work(items) { return items; }
}
if (isMainProcess()) {
  const q = redisQueue('smoke', { url: process.env.URL, namespace: 'smoke' + Date.now(), capacity: 100 });
  const c = new Collect({ queue: q, workTimeout: 10, maxBufferSize: 50 });
  const got = [];
  c.on('result', (b) => got.push(...b));
  await c.start();
  const p = new Count({ subscribers: [q], args: { stopAt: 5000 } });
  const done = new Promise((r) => p.on('state', (s) => s === 'stopped' && r()));
  const t = performance.now();
  await p.start();
  await done;
  console.log('producer done', performance.now() - t);
  await c.stopAtQueueEnd();
  console.log('got', got.length, got.slice(0, 5), got.every((v, i) => v === i), 'dropped', q.dropped);
  console.log(await redisQueueStats(q));
  await closeRedis();
}
