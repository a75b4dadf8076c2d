import { isMainProcess, ConsumerPool, pipeline } from '@prodcon/core';
import { redisQueue, redisQueueStats } from '@prodcon/redis';
import { Doubler, NumberSource, Summer, Tally } from '../test/fixtures/pool-workers.mjs';
if (isMainProcess()) {
  const ns = 'smoke' + Date.now();
  const q = (name) => redisQueue(name, { url: process.env.URL, namespace: ns });
  const COUNT = 100000;
  const qs = [q('parse'), q('agg'), q('tally')];
  const source = new NumberSource({ args: { count: COUNT } });
  const parse = new ConsumerPool(Doubler, { size: 2, maxBufferSize: 500, workTimeout: 20, queue: qs[0] });
  const aggregate = new Summer({ maxBufferSize: 20, workTimeout: 20, queue: qs[1] });
  const tally = new Tally({ maxBufferSize: 50, workTimeout: 20, queue: qs[2] });
  const flow = pipeline(source, parse, aggregate, tally);
  let count = 0;
  for await (const r of flow.items()) count += r.count;
  await flow.done;
  console.log('count', count);
  for (const x of qs) console.log(x.name, x.dropped, JSON.stringify(await redisQueueStats(x)));
  process.exit(0);
}
