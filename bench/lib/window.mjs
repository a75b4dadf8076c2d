// The measuring window of the streaming rows: a warm-up, then the rate of a count over `measureMs`.
import { setTimeout as sleep } from 'node:timers/promises';

export async function rateOver(count, { warmupMs, measureMs }) {
  await sleep(warmupMs);
  const first = await count();
  const started = performance.now();
  await sleep(measureMs);
  const last = await count();
  return (last - first) / ((performance.now() - started) / 1000);
}
