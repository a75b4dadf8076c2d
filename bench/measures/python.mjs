// Python's multiprocessing.Queue (bench/baselines/mp_queue.py), batched or one dict per put.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../baselines/mp_queue.py', import.meta.url));

export function mpQueue({ batch = 128, warmupMs = 1000, measureMs = 2000 }) {
  return new Promise((resolve, reject) => {
    execFile('python3', [SCRIPT, String(batch), String(warmupMs), String(measureMs)], { timeout: 60_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
    });
  });
}
