// Redelivery after a pool member's death, queues in Redis Streams: a pool of two on a Redis queue, the
// main process putting; one member is SIGKILLed mid-batch. Measured: from the kill until the live
// member's checker handed the dead one's entries on (the ERR_HOST_LOST news every process following the
// queue gets). The other Redis rows are streaming.mjs and latency.mjs with their `redis` option.
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumerPool } from '@prodcon/core';
import { closeRedis, onTransportError, redisQueue } from '@prodcon/redis';
import { SlowConsumer } from '../workers.mjs';

export async function redelivery({ url, namespace }) {
  const queue = redisQueue(`bench-redelivery-${process.pid}`, { url, namespace, capacity: 1000 });
  const pool = new ConsumerPool(SlowConsumer, { size: 2, maxBufferSize: 10, workTimeout: 0, queue, output: 'ignore', restart: { max: 1, backoffMs: 60_000 } });
  await pool.start();
  let stopWatching;
  const lost = new Promise((resolve) => {
    stopWatching = onTransportError((error) => error.code === 'ERR_HOST_LOST' && resolve(performance.now()));
  });
  for (let item = 0; item < 500; item++) void queue.put(item);
  await sleep(300);
  const killedAt = performance.now();
  process.kill(pool.members[0].pid, 'SIGKILL');
  const handedOn = await lost;
  stopWatching();
  await pool.terminate();
  await closeRedis();
  return { ms: handedOn - killedAt };
}
