// Host A, a lab PC: `node examples/redis/lab-pc.mjs pc-1`. Its sensor writes into the Redis queue
// by name; readings go from this PC's child process to Redis to the server's child, never through
// a main process. While no analysis runs, its readings are refused (and counted).
import { isMainProcess } from '@prodcon/core';
import { closeRedis } from '@prodcon/redis';
import { Sensor, readings } from './workers.mjs';

if (isMainProcess()) {
  const pc = process.argv[2] ?? 'pc-1';
  const sensor = new Sensor({ workTimeout: 1, subscribers: [readings()], args: { pc } }); // 1 kHz
  await sensor.start();
  await new Promise((resolve) => setTimeout(resolve, 4000));
  await sensor.stop();
  console.log(`${pc}: sensor stopped`);
  await closeRedis();
}
