// Both hosts on this machine, as separate main processes sharing only the Redis URL:
// `node examples/redis/two-hosts.mjs` (needs a Redis: PRODCON_REDIS_URL, default redis://127.0.0.1:6379).
import { spawn } from 'node:child_process';

const run = (script, ...args) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname, ...args], { stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`))));
  });

const server = run('./server.mjs', '6');
await new Promise((resolve) => setTimeout(resolve, 1000)); // the analysis hosts the queue first
await Promise.all([run('./lab-pc.mjs', 'pc-1'), run('./lab-pc.mjs', 'pc-2'), server]);
